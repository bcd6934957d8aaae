#!/bin/sh
# Builds every guest in both byte orders (build/le, build/be) and checks
# that no floating-point, VMX or VSX instruction was emitted.
# Extra arguments go to make, e.g. ./build.sh SIEVE_N=50000000
set -e
cd "$(dirname "$0")"
make -s "$@" all
make -s "$@" check-nofp
