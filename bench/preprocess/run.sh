#!/bin/sh
# Preprocessing benchmark: a 2500×2000 16-bit DX through every stage (Release build), then the same recipe in
# numpy + OpenCV as the reference. Run from the repository root. The reference needs python3-opencv (Debian).
set -e
SAMPLE=../shared/data/adult-cxr-samples/adult-cxr-06.png
dotnet run -c Release --project bench/preprocess --artifacts-path /tmp/art-bench-preprocess -- "$SAMPLE" "${RUNS:-15}"
if /usr/bin/python3 -c "import cv2" 2>/dev/null; then
  /usr/bin/python3 bench/preprocess/opencv_reference.py "$SAMPLE" "${RUNS:-15}"
else
  echo "reference skipped: apt-get install -y python3-opencv"
fi
