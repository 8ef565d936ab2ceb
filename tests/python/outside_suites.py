"""Other projects' memoryview tests, run against ndview.View.

    outside_suites.py test_buffer|test_memoryview|numpy [--list]

CPython's Lib/test/test_buffer.py and test_memoryview.py (Debian's
libpython3.11-testsuite) run with the name `memoryview` bound to
ndview.View in the test module's namespace and nothing else changed;
NumPy's TestNewBufferProtocol (Debian's python3-numpy) runs with
`memoryview` bound the same way in numpy/core/tests/test_multiarray.py.

Each test is one TAP line. A test listed in DELIBERATE fails only because
View answers where memoryview refuses (docs/python.md lists each one with
its reason); it must still fail (if it passes, the list is stale and that
is reported as a failure), and its failure must be the one recorded.
The last line gives the counts, as the CI log shows them.
"""
import argparse
import importlib
import sys
import unittest

import ndview

# test id -> the assertion that fails because View answers more (docs/python.md).
DELIBERATE = {}


def load(name):
    mod = importlib.import_module('test.' + name)
    mod.memoryview = ndview.View
    return unittest.defaultTestLoader.loadTestsFromModule(mod)


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


class Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.problems = []

    def addFailure(self, test, err):
        self.problems.append(self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self.problems.append(self._exc_info_to_string(err, test))

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self.problems.append(self._exc_info_to_string(err, subtest))


def unittest_outcomes(name):
    """(short test name, skip reason or None, problems) of each test, as it runs."""
    for test in flatten(load(name)):
        r = Result()
        test.run(r)
        skip = r.skipped[0][1] if r.skipped else None
        yield '.'.join(test.id().split('.')[-2:]), skip, r.problems


def numpy_outcomes():
    """The same for NumPy's pytest class TestNewBufferProtocol."""
    import pytest
    mod = importlib.import_module('numpy.core.tests.test_multiarray')
    mod.memoryview = ndview.View  # pytest finds the module already imported, patched
    reports = []

    class Collect:
        def pytest_runtest_logreport(self, report):
            if report.when == 'call' or report.outcome != 'passed':
                reports.append(report)

    pytest.main(['-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', '--no-header',
                 '--tb=short', '-o', 'addopts=', mod.__file__ + '::TestNewBufferProtocol'],
                plugins=[Collect()])
    for rep in reports:
        short = 'TestNewBufferProtocol.' + rep.nodeid.rsplit('::', 1)[-1]
        skip = str(rep.longrepr[-1]) if rep.skipped else None
        yield short, skip, [rep.longreprtext] if rep.failed else []


def main():
    name = sys.argv[1]
    outcomes = list(numpy_outcomes() if name == 'numpy' else unittest_outcomes(name))
    print(f'1..{len(outcomes)}')
    passed = failed = skipped = deliberate = 0
    for n, (short, skip, problems) in enumerate(outcomes, 1):
        r = argparse.Namespace(skipped=[(None, skip)] if skip else [], problems=problems)
        if r.skipped and not r.problems:
            skipped += 1
            print(f'ok {n} {short} # SKIP {r.skipped[0][1]}')
        elif not r.problems:
            if short in DELIBERATE:
                failed += 1
                print(f'not ok {n} {short} (listed as a deliberate difference, but passes)')
            else:
                passed += 1
                print(f'ok {n} {short}')
        elif short in DELIBERATE and all(DELIBERATE[short] in p for p in r.problems):
            deliberate += 1
            print(f'ok {n} {short} # deliberate difference: {DELIBERATE[short]}')
        else:
            failed += 1
            print(f'not ok {n} {short}')
            for p in r.problems[:3]:
                print('#   ' + '\n#   '.join(p.rstrip().splitlines()[-6:]))
    print(f'# {name} with memoryview -> ndview.View: {passed} passed, {deliberate} deliberate '
          f'differences, {skipped} skipped, {failed} failed')


if __name__ == '__main__':
    main()
