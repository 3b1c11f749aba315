using System.Runtime.InteropServices;

namespace Parley.Crypto.Primitives;

/// <summary>
/// libsodium's X25519 scalar multiplication, called directly on the libsodium that NSec itself ships
/// and loads. Keys stay in NSec (secure memory, export policy); only the multiplication bypasses
/// NSec's per-call <c>PublicKey</c>/<c>SharedSecret</c> objects, whose guarded allocations cost about
/// as much as the multiplication (PROTOCOL.md 1.1; BENCHMARKS.md). If the library cannot be bound,
/// callers fall back to NSec's <c>Agree</c>.
/// </summary>
internal static class NativeMethods
{
    private const string Library = "libsodium";

    /// <summary>True when libsodium could be bound and initialized in this process.</summary>
    internal static readonly bool IsX25519Available = Probe();

    /// <summary>q = X25519(n, p); returns -1 (and writes zeros) for a low-order p or an all-zero result.</summary>
    [DllImport(Library, EntryPoint = "crypto_scalarmult_curve25519", CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    internal static extern int ScalarMultCurve25519(ref byte q, ref byte n, ref byte p);

    [DllImport(Library, EntryPoint = "sodium_init", CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static extern int SodiumInit();

    private static bool Probe()
    {
        try
        {
            return SodiumInit() >= 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
