"""Other projects' memoryview tests, run against ndview.View.

    outside_suites.py test_buffer|test_memoryview|numpy

CPython's Lib/test/test_buffer.py and test_memoryview.py (Debian's
libpython3.11-testsuite) run with the name `memoryview` bound to
ndview.View in the test module's namespace and nothing else changed;
NumPy's TestNewBufferProtocol (Debian's python3-numpy, run with pytest)
runs with `memoryview` bound the same way in its module.

Each test is one TAP line. DELIBERATE lists, per test method, the exact
assertion lines that fail only because View answers where memoryview
refuses (docs/python.md gives each one with its reason). Such a test is
checked twice: as shipped it must fail, at one of its listed lines; with
only those lines turned into `pass` it must pass. A listed test that
passes as shipped means the list is stale: a failure.
The last line gives the counts, as the CI log shows them.
"""
import contextlib
import importlib
import sys
import types
import unittest

import ndview

# method name -> {enclosing function: [assertion lines]} (docs/python.md says why).
DELIBERATE = {
    'test_buffer': {
        # struct formats item by item: 'xL', 's', 'II' items are read and written; m[0] of
        # an N-D view is a sub-view, assigned from a buffer (a list: TypeError)
        'test_memoryview_assign': {'test_memoryview_assign': [
            'self.assertRaises(NotImplementedError, m.__setitem__, 0, 1)',
            'self.assertRaises(NotImplementedError, m.__setitem__, 0, [2, 3])']},
        'test_memoryview_cast_invalid': {'test_memoryview_cast_invalid': [
            'self.assertRaises(NotImplementedError, m.__getitem__, 0)',
            'self.assertRaises(NotImplementedError, m.__setitem__, 0, 8)',
            'self.assertRaises(NotImplementedError, m.tolist)']},
        'test_memoryview_tolist': {'test_memoryview_tolist': [
            'self.assertRaises(NotImplementedError, m.tolist)']},
        # PEP 3118 'w' (UCS-4) and ctypes' 'T{>l:x:>l:y:}' are understood: compared by
        # value, listed
        'test_memoryview_compare_special_cases': {'test_memoryview_compare_special_cases': [
            'self.assertNotEqual(a, v)', 'self.assertNotEqual(v, a)', 'self.assertNotEqual(a, b)',
            'self.assertNotEqual(a, point)', 'self.assertNotEqual(point, a)',
            'self.assertRaises(NotImplementedError, a.tolist)']},
        # a[()] on an N-D view is the view itself, a[0] its first sub-view (NumPy)
        'test_memoryview_index': {'test_memoryview_index': [
            'self.assertRaises(NotImplementedError, m.__getitem__, ())',
            'self.assertRaises(NotImplementedError, m.__getitem__, 0)']},
        'test_memoryview_slice': {'test_memoryview_slice': [
            'self.assertRaises(NotImplementedError, m.__getitem__, ())']},
        # slices on every dimension: a zero step is NumPy's ValueError; slice assignment
        # to N-D views checks the structure (ValueError)
        'test_ndarray_slice_invalid': {'test_ndarray_slice_invalid': [
            'self.assertRaises(NotImplementedError, mv.__getitem__,',
            'self.assertRaises(NotImplementedError, ml.__setitem__, slice(0,1,1),']},
        # sys.getsizeof counts View's own layout, not memoryview's
        'test_memoryview_sizeof': {'test_memoryview_sizeof': [
            "check(memoryview(b''), vsize(base_struct + 1 * per_dim))",
            'check(memoryview(a), vsize(base_struct + 2 * per_dim))',
            'check(memoryview(a), vsize(base_struct + 3 * per_dim))']},
    },
    'test_memoryview': {
        # m[None] is NumPy's new axis
        'test_getitem': {'check_getitem_with_type': [
            'self.assertRaises(TypeError, lambda: m[None])']},
    },
    'numpy': {},
}


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


def function_span(lines, name):
    """The line numbers of def name(...)'s body."""
    for i, line in enumerate(lines):
        if line.lstrip().startswith('def %s(' % name):
            indent = len(line) - len(line.lstrip())
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or
                                      len(lines[j]) - len(lines[j].lstrip()) > indent):
                j += 1
            return range(i + 1, j)
    raise SystemExit('outside_suites: no function %s (is the list stale?)' % name)


def load_module(name, patched):
    """test.<name>, as shipped, or with the DELIBERATE lines turned into `pass`."""
    mod = importlib.import_module('test.' + name)
    if patched:
        lines = open(mod.__file__).read().split('\n')
        for spots in DELIBERATE[name].values():
            for func, texts in spots.items():
                for i in function_span(lines, func):
                    if lines[i].strip() in texts:
                        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
                        # a call continued on the next lines stays valid as a tuple
                        lines[i] = indent + ('pass; (' if lines[i].rstrip().endswith(',')
                                             else 'pass  # ')
        mod = types.ModuleType('test.' + name)
        mod.__file__ = importlib.import_module('test.' + name).__file__
        exec(compile('\n'.join(lines), mod.__file__, 'exec'), mod.__dict__)
    mod.memoryview = ndview.View
    return mod


def unittest_outcomes(name, patched=False, only=None):
    """(short test name, skip reason or None, problems) of each test, as it runs."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(load_module(name, patched))
    for test in flatten(suite):
        method = test.id().rsplit('.', 1)[-1]
        if only is not None and method not in only:
            continue
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

    with contextlib.redirect_stdout(sys.stderr):
        pytest.main(['-q', '-p', 'no:cacheprovider', '--no-header', '--tb=short',
                     '-o', 'addopts=', mod.__file__ + '::TestNewBufferProtocol'],
                    plugins=[Collect()])
    for rep in reports:
        short = 'TestNewBufferProtocol.' + rep.nodeid.rsplit('::', 1)[-1]
        skip = str(rep.longrepr[-1]) if rep.skipped else None
        yield short, skip, [rep.longreprtext] if rep.failed else []


def main():
    name = sys.argv[1]
    listed = DELIBERATE[name]
    if name == 'numpy':
        outcomes = list(numpy_outcomes())
        patched = {}
    else:
        outcomes = list(unittest_outcomes(name))
        patched = {t: p for t, _, p in unittest_outcomes(name, True, set(listed))}
    print('1..%d' % len(outcomes))
    counts = dict(passed=0, deliberate=0, skipped=0, failed=0)
    for n, (short, skip, problems) in enumerate(outcomes, 1):
        method = short.rsplit('.', 1)[-1]
        lines = [t for spots in listed.get(method, {}).values() for t in spots]
        note = ''
        if skip and not problems:
            verdict, note = 'skipped', ' # SKIP %s' % skip
        elif not lines:
            verdict = 'failed' if problems else 'passed'
        elif not problems:
            verdict, note = 'failed', ' (listed as deliberate, but passes as shipped)'
        elif not all(any(t in p for t in lines) for p in problems):
            verdict, note = 'failed', ' (fails elsewhere than at its listed lines)'
        elif patched.get(short):
            problems = patched[short]
            verdict, note = 'failed', ' (fails with its listed lines removed)'
        else:
            verdict, note = 'deliberate', ' # deliberate difference (docs/python.md)'
        counts[verdict] += 1
        print('%s %d %s%s' % ('not ok' if verdict == 'failed' else 'ok', n, short, note))
        if verdict == 'failed':
            for p in problems[:2]:
                print('#   ' + '\n#   '.join(p.rstrip().splitlines()[-6:]))
    print('# %s with memoryview -> ndview.View: %d passed, %d deliberate differences, '
          '%d skipped, %d failed' % (name, counts['passed'], counts['deliberate'],
                                     counts['skipped'], counts['failed']))


if __name__ == '__main__':
    main()
