#!/usr/bin/env bash
# Times decoding of a 2500x2000 16-bit DX, uncompressed and JPEG lossless (SV1 and process 14 SV6), ours against DCMTK
# (dcmdjpeg to a native file; dcmj2pnm to a 16-bit PGM), in one run on the same machine and inputs; JPEG-LS and RLE
# (dcmdjpls, dcmdrle) for information.
#   bench/pixels/run.sh [ITERATIONS]        (default 10; prints a table for docs/BENCHMARKS.md "Pixels")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-10}
work=$(mktemp -d /tmp/cxr-bench-pixels.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/tests/CxrPacsAgent.Dicom.Tests/Imaging/make_pixel_samples.py" "$work" \
  "$root"/../shared/data/adult-cxr-samples/adult-cxr-0{1,2}.png >/dev/null
src=$work/source/cxr16.dcm
cp "$src" "$work/native.dcm"
dcmcjpeg +e1 "$src" "$work/sv1.dcm"
dcmcjpeg +el +sv 6 "$src" "$work/p14sv6.dcm"
dcmcjpls "$src" "$work/jpegls.dcm"
dcmcrle "$src" "$work/rle.dcm"
dotnet build "$here/CxrPacsAgent.Bench.Pixels.csproj" -c Release -o "$work/bin" --artifacts-path "$work/artifacts" >/dev/null
echo "# ours (in process, $n iterations after 2 warm-ups)"
dotnet "$work/bin/CxrPacsAgent.Bench.Pixels.dll" "$n" "$work"/{native,sv1,p14sv6,jpegls,rle}.dcm
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { # median wall time of a command over n runs, in ms
  for _ in $(seq "$n"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median
}
echo "# DCMTK (whole process, median of $n)"
printf "file\ttool\tmedian_ms\n"
for f in native sv1 p14sv6; do
  [ "$f" = native ] || printf "%s.dcm\tdcmdjpeg\t%s\n" "$f" "$(time_ms dcmdjpeg "$work/$f.dcm" "$work/out.dcm")"
  printf "%s.dcm\tdcmj2pnm +on2\t%s\n" "$f" "$(time_ms dcmj2pnm +on2 "$work/$f.dcm" "$work/out.pgm")"
done
printf "jpegls.dcm\tdcmdjpls\t%s\n" "$(time_ms dcmdjpls "$work/jpegls.dcm" "$work/out.dcm")"
printf "rle.dcm\tdcmdrle\t%s\n" "$(time_ms dcmdrle "$work/rle.dcm" "$work/out.dcm")"
printf "native.dcm\tdcmconv (read+write, no decode)\t%s\n" "$(time_ms dcmconv "$work/native.dcm" "$work/out.dcm")"
echo "# ours as a whole process (dotnet start + cold open + decode, median of $n)"
for f in native sv1 p14sv6 jpegls rle; do
  printf "%s.dcm\tours, cold process\t%s\n" "$f" "$(time_ms dotnet "$work/bin/CxrPacsAgent.Bench.Pixels.dll" 0 "$work/$f.dcm")"
done
