#!/bin/sh
# Every NDV_API function of the header appears, documented, in the API reference.
#   api_reference.sh include/ndview.h build/api/html
header=$1 html=$2
[ -f "$html/ndview_8h.html" ] || { echo "no $html/ndview_8h.html"; exit 1; }
missing=0 count=0
for fn in $(sed -n 's/^NDV_API[^(]*[ *]\(ndv_[a-z0-9_]*\)(.*/\1/p' "$header"); do
  count=$((count + 1))
  grep -q "id=\"[a-z0-9]*\".*$fn\|>$fn<" "$html/ndview_8h.html" || { echo "not in the reference: $fn"; missing=1; }
done
[ "$count" -gt 40 ] || { echo "only $count functions found in $header"; exit 1; }
echo "$count functions documented"
exit $missing
