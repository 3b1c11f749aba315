using System.Runtime.InteropServices;
using SharpFuzz.Common;

namespace Parley.Fuzz;

/// <summary>
/// The assemblies afl-fuzz gets coverage from: the product code that decodes untrusted bytes and the
/// protobuf runtime under the relay frames. Test support code stays uninstrumented (its branches
/// would only add noise to the coverage map).
/// </summary>
public static class Instrumentation
{
    /// <summary>SharpFuzz's coverage map size (afl's MAP_SIZE).</summary>
    private const int MapSize = 1 << 16;

    /// <summary>File names, relative to the harness's output directory.</summary>
    public static IReadOnlyList<string> Assemblies { get; } =
        ["Parley.Crypto.dll", "Parley.Wire.dll", "Parley.Client.dll", "Google.Protobuf.dll"];

    /// <summary>
    /// Instrumented code writes every branch into afl's shared map, which SharpFuzz attaches only
    /// inside <c>Fuzzer.Run</c>. Building the targets (keys, sessions, seeds) runs instrumented code
    /// before that, so it gets a private scratch map (never freed: one per process).
    /// </summary>
    public static unsafe void UseScratchCoverageMap()
    {
        if (Trace.SharedMem == null)
        {
            Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
        }
    }
}
