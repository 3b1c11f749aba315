using System.Text.RegularExpressions;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// Server hardening (attacks.md rows 20 and 31 on the server side): the data directory holds the TLS
/// key, the server secret and every account's SRP verifier, so another local user must not read it
/// whatever the umask. The real process is started on a 0755 directory; afterwards it and every folder in it are
/// 0700 and every file (parley.db, -wal, -shm, certificate, secret, blobs) 0600, and no ASP.NET Data
/// Protection key ring is written (nothing in the server uses it). Files left 0644 by an older
/// version are narrowed at the next start. Start-up logs no warning at all.
/// </summary>
public sealed partial class DataDirectoryPermissionsTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadableFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task Data_directory_is_0700_and_every_file_in_it_0600_even_when_it_was_left_open()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var data = new TempDirectory();
        File.SetUnixFileMode(data.Path, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using (var server = await ServerProcess.StartAsync("--data", data.Path))
        {
            AssertOwnerOnly(data.Path, expectWal: true);
            AssertNoWarnings(server.Output);
        }

        // An older version left the database world-readable: the next start narrows it.
        foreach (var file in Directory.EnumerateFiles(data.Path))
        {
            File.SetUnixFileMode(file, WorldReadableFile);
        }
        await using (var again = await ServerProcess.StartAsync("--data", data.Path))
        {
            AssertOwnerOnly(data.Path, expectWal: true);
            AssertNoWarnings(again.Output);
        }
    }

    [Fact]
    public void Nothing_registers_aspnet_data_protection()
    {
        // Tokens are random and looked up by hash; a Data Protection key ring would only be an
        // unencrypted key file on disk. AddAuthentication() would bring it back: this catches that.
        using var factory = new ParleyServerFactory(Parley.Server.Storage.DatabaseKind.Sqlite, null);
        using var client = factory.CreateClient();
        Assert.Null(factory.Services.GetService(typeof(Microsoft.AspNetCore.DataProtection.IDataProtectionProvider)));
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "data-protection-keys")));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertOwnerOnly(string directory, bool expectWal)
    {
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
        // Feature stores keep their own folders (the blob store's blobs/): owner-only as well.
        foreach (var sub in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories))
        {
            Assert.True(OwnerOnlyDirectory == File.GetUnixFileMode(sub), $"{Path.GetRelativePath(directory, sub)} is {File.GetUnixFileMode(sub)}");
        }
        var files = Directory.EnumerateFiles(directory).Select(Path.GetFileName).ToHashSet();
        Assert.Contains("parley.db", files);
        if (expectWal)
        {
            Assert.Contains("parley.db-wal", files);
            Assert.Contains("parley.db-shm", files);
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            Assert.True(OwnerOnlyFile == File.GetUnixFileMode(file), $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }
    }

    private static void AssertNoWarnings(string output)
    {
        Assert.DoesNotContain("XML encryptor", output, StringComparison.Ordinal);
        Assert.DoesNotContain("DataProtection", output, StringComparison.Ordinal);
        Assert.False(WarningLine().IsMatch(output), "start-up logged a warning:\n" + output);
    }

    [GeneratedRegex(@"^\s*(warn|fail|crit):", RegexOptions.Multiline)]
    private static partial Regex WarningLine();
}
