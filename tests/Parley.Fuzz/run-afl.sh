#!/usr/bin/env bash
# Long coverage-guided fuzz run of one target (docs/SECURITY.md, "Coverage-guided fuzzing").
#   tests/Parley.Fuzz/run-afl.sh TARGET SECONDS WORKDIR
# Builds the harness, copies it to WORKDIR/bin, writes the seeds (uninstrumented), instruments the
# product assemblies, then runs afl-fuzz at the lowest CPU priority with a 256 MiB managed-heap cap
# (an input that makes a decoder allocate past it is a crash). Findings: WORKDIR/out/default/crashes.
set -euo pipefail
target=${1:?target (see: dotnet tests/Parley.Fuzz/bin/Debug/net10.0/Parley.Fuzz.dll list)}
seconds=${2:?seconds}
work=${3:?work directory}
here="$(cd "$(dirname "$0")" && pwd)"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install -y afl++" >&2; exit 1; }
[ "${PARLEY_FUZZ_NO_BUILD:-}" = 1 ] || dotnet build "$here" -v quiet -nologo >/dev/null
rm -rf "$work" && mkdir -p "$work"
cp -r "$here/bin/Debug/net10.0" "$work/bin"
dotnet "$work/bin/Parley.Fuzz.dll" seeds "$work/seeds" "$target"
dotnet "$work/bin/Parley.Fuzz.dll" instrument "$work/bin"
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
export DOTNET_GCHeapHardLimit=0x10000000
# On this loaded machine afl-fuzz's dry run now and then sees an empty coverage map from the .NET fork
# server and aborts ("No instrumentation detected"); a second start works. Retry twice, no more.
for attempt in 1 2 3; do
  rm -rf "$work/out"
  nice -n 19 afl-fuzz -V "$seconds" -t 5000 -m none -i "$work/seeds" -o "$work/out" -- dotnet "$work/bin/Parley.Fuzz.dll" run "$target" 2>&1 | tee "$work/afl.log" | tail -n 5
  grep -q "No instrumentation detected" "$work/afl.log" || break
done
grep -E "execs_done|execs_per_sec|corpus_count|bitmap_cvg|stability|saved_crashes|saved_hangs" "$work/out/default/fuzzer_stats"
