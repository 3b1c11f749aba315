using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// attacks.md row 20 (P0), secrets in logs, dumps and database files: a user registers and logs in
/// with a CANARY password; afterwards neither the password nor the session token (as text or as
/// its decoded bytes) occurs in any file of the data directory (parley.db, -wal, -shm, certificate,
/// secret) nor in any log line at Trace level. The server keeps only the token's hash.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private readonly CapturingLoggerProvider logs = new();
    private readonly ParleyServerFactory factory;

    public SecretsAtRestTests() =>
        factory = new ParleyServerFactory(DatabaseKind.Sqlite, null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddSingleton<ILoggerProvider>(logs));

    [Fact]
    public async Task Neither_password_nor_token_is_in_the_data_directory_or_the_logs()
    {
        const string canary = "CANARY-pw-7f3a9c1e-horse-battery";
        var name = NewUsername("canary");
        using var client = factory.CreateClient();
        (await RegisterAsync(client, name, canary)).Dispose();
        var token = await LoginAsync(client, name, canary);
        Assert.False(string.IsNullOrEmpty(token));

        byte[][] needles = [Encoding.UTF8.GetBytes(canary), Encoding.ASCII.GetBytes(token), TokenBytes(token)];
        var files = Directory.EnumerateFiles(factory.DataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("parley.db-wal", StringComparison.Ordinal));
        foreach (var file in files)
        {
            byte[] content;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                await stream.CopyToAsync(copy).WaitAsync(RequestTimeout);
                content = copy.ToArray();
            }

            foreach (var needle in needles)
            {
                Assert.True(content.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} holds a secret");
            }
        }

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(canary, StringComparison.Ordinal) || l.Contains(token, StringComparison.Ordinal));
    }

    private static byte[] TokenBytes(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        return Convert.FromBase64String(base64);
    }

    public void Dispose() => factory.Dispose();
}
