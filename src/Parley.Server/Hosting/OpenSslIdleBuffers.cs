using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Parley.Server.Hosting;

/// <summary>
/// Lets OpenSSL free a TLS connection's record buffers whenever they are empty
/// (<c>SSL_MODE_RELEASE_BUFFERS</c>, which nginx sets on every connection). Without it every idle
/// connection keeps a read and a write record buffer of ≈ 17 KB each for its whole life: 34 KB of
/// native heap per idle socket, of which ≈ 16 KB resident (docs/BENCHMARKS.md, "TLS in process"). .NET's OpenSSL shim does not set the mode and <see cref="SslStream"/> offers no
/// way to, so this reaches the connection's <c>SSL*</c> (the stream's security context, a
/// <c>SafeSslHandle</c> on Linux) and sets it with <c>SSL_ctrl</c> in the libssl the runtime already
/// loaded. Anything unexpected — another OS, another runtime layout, no or several libssl images
/// loaded — leaves the connection as it is: it only costs memory, never correctness.
/// </summary>
internal static class OpenSslIdleBuffers
{
    /// <summary><c>SSL_CTRL_MODE</c>: <c>SSL_ctrl(ssl, 33, mode, NULL)</c> ORs <c>mode</c> in and returns the result.</summary>
    private const int SslCtrlMode = 33;

    /// <summary><c>SSL_MODE_RELEASE_BUFFERS</c> (the same value in OpenSSL 1.0, 1.1 and 3.x).</summary>
    internal const long ReleaseBuffersMode = 0x10;

    /// <summary>The runtime type of <see cref="SslStream"/>'s security context when it is an OpenSSL <c>SSL*</c>.</summary>
    private const string SslHandleType = "Microsoft.Win32.SafeHandles.SafeSslHandle";

    private static readonly FieldInfo? SecurityContextField =
        typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);

    private static readonly Lazy<SslCtrl?> Ctrl = new(LoadSslCtrl);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint SslCtrl(nint ssl, int cmd, nint larg, nint parg);

    /// <summary>True when this process can set the mode (Linux, one libssl loaded, the expected runtime layout).</summary>
    public static bool Available => Ctrl.Value is not null && SecurityContextField is not null;

    /// <summary>
    /// Sets <c>SSL_MODE_RELEASE_BUFFERS</c> on an authenticated stream's connection. Call it while no read
    /// or write is running on the stream (right after the handshake). Returns false, changing nothing,
    /// where it cannot be done.
    /// </summary>
    public static bool Enable(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Control(stream, ReleaseBuffersMode) is { } mode && (mode & ReleaseBuffersMode) != 0;
    }

    /// <summary>The connection's current OpenSSL mode bits, or null where they cannot be read.</summary>
    public static long? Mode(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Control(stream, 0);
    }

    private static long? Control(SslStream stream, long setBits)
    {
        var ctrl = Ctrl.Value;
        if (ctrl is null || SecurityContextField?.GetValue(stream) is not SafeHandle ssl || ssl.GetType().FullName != SslHandleType
            || ssl.IsInvalid || ssl.IsClosed)
        {
            return null;
        }

        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            return ctrl(ssl.DangerousGetHandle(), SslCtrlMode, (nint)setBits, 0);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                ssl.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// <c>SSL_ctrl</c> from the libssl image this process has already mapped (the one the runtime's shim
    /// uses, so the <c>SSL*</c> belongs to it); null unless exactly one is mapped.
    /// </summary>
    private static SslCtrl? LoadSslCtrl()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string[] maps;
        try
        {
            maps = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var images = maps
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : "")
            .Where(path => Path.GetFileName(path).StartsWith("libssl.so", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (images.Count != 1 || !NativeLibrary.TryLoad(images[0], out var library))
        {
            return null;
        }

        return NativeLibrary.TryGetExport(library, "SSL_ctrl", out var export)
            ? Marshal.GetDelegateForFunctionPointer<SslCtrl>(export)
            : null;
    }
}
