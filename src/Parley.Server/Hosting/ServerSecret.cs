using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Hosting;

/// <summary>
/// A 32-byte random secret kept in the data directory (<c>server-secret.key</c>, mode 0600) from
/// which the server derives keys that must survive restarts: the proof-of-work challenge MAC and the
/// fake SRP records answered for unknown usernames. Several nodes sharing a database must share this
/// file too (see docs/OPERATIONS.md).
/// </summary>
public sealed class ServerSecret : IDisposable
{
    /// <summary>File name inside the data directory.</summary>
    public const string FileName = "server-secret.key";

    /// <summary>Length of the secret in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] secret;

    /// <summary>Loads the secret, creating it on first start.</summary>
    public ServerSecret(ServerDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var path = dataDirectory.File(FileName);
        if (!File.Exists(path))
        {
            try
            {
                ServerDataDirectory.WritePrivateFile(path, RandomNumberGenerator.GetBytes(Length));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created concurrently by another process; read theirs below.
            }
        }
        secret = File.ReadAllBytes(path);
        if (secret.Length != Length)
        {
            throw new InvalidOperationException($"{FileName} in the data directory must hold exactly {Length} bytes.");
        }
    }

    /// <summary>Derives a 32-byte key for one purpose and input: HMAC-SHA256(secret, purpose || 0x00 || input).</summary>
    public byte[] Derive(string purpose, ReadOnlySpan<byte> input)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var label = Encoding.UTF8.GetBytes(purpose);
        var message = new byte[label.Length + 1 + input.Length];
        label.CopyTo(message, 0);
        input.CopyTo(message.AsSpan(label.Length + 1));
        return HMACSHA256.HashData(secret, message);
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(secret);

    /// <inheritdoc />
    public override string ToString() => nameof(ServerSecret);
}
