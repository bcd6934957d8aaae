echo "script: start"
i=0; s=0
while [ $i -lt 200 ]; do s=$((s + i * i - (i % 7) * 3)); i=$((i + 1)); done
echo "script: arith $s $((2**40 / 3)) $((-17 % 5)) $(( (1<<62) / 12345 ))"
seq 1 500 | awk '{ x = $1 * 7919 % 1000; print x }' > /tmp/nums
sort -n /tmp/nums | head -3 | tr '\n' ' ' | sed 's/^/script: sort head /'; echo
sort -n /tmp/nums | tail -2 | tr '\n' ' ' | sed 's/^/script: sort tail /'; echo
sort -u /tmp/nums | wc -l | sed 's/^/script: unique /'
seq 1 20000 | md5sum | sed 's/^/script: md5 /'
dd if=/dev/zero bs=4096 count=256 2>/dev/null | tr '\0' 'a' | md5sum | sed 's/^/script: md5 zeros /'
awk 'BEGIN { s = 0; for (i = 1; i <= 1000; i++) s += 1 / (i * i); printf "script: awk basel %.12f %.6e\n", s, s * 1e-30 }'
awk 'BEGIN { x = 1; for (i = 0; i < 60; i++) x = (x + 2 / x) / 2; printf "script: awk newton %.15f %d %.3f\n", x, int(-7.9), 10 % 3.5 }'
awk 'BEGIN { printf "script: awk fmt %g %g %g %e %d\n", 1/3, 1e100, -0.0, 123456789.123, 9007199254740993 * 1 }'
printf "script: printf %.3f %e %g %5.2f|%-8.3e|\n" 3.14159265 0.000123 1e-5 -2.5 6.02e23
echo "3.5 2.25 -1.125" | awk '{ printf "script: fields %.4f %.4f\n", $1 * $2, $2 / $3 }'
( sleep 1; echo "script: job one" ) > /tmp/j1 &
( i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo "script: job two $i" ) > /tmp/j2 &
wait
cat /tmp/j1 /tmp/j2
echo "script: cpus $(grep -c ^processor /proc/cpuinfo)"
echo hello world | sed 's/world/there/' | tr a-z A-Z | sed 's/^/script: pipe /'

cd /proc/device-tree && find . -type f | sort | while read f; do printf 'dt: %s ' "$f"; od -An -v -tx1 "$f" | tr -d ' \n'; echo; done
echo "script: done"
