using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.Client.Transfers;
using Parley.EndToEnd.Tests.Files.Infrastructure;

namespace Parley.EndToEnd.Tests.Files;

/// <summary>
/// A malicious sender puts a hostile name in the pointer. Whatever the name, the file lands inside
/// the target directory under a sanitized name.
/// </summary>
public sealed class HostileNameScenarios : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly InProcessServer server = new();
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    public static TheoryData<string, string> Names => new()
    {
        { "../../x", "x" },
        { "..\\..\\x", "x" },
        { "/etc/passwd", "passwd" },
        { "/tmp/x", "x" },
        { "C:\\x", "x" },
        { "CON", "_CON" },
        { "con.txt", "_con.txt" },
        { "a:b", "a_b" },
        { "x\u202Egpj.exe", "xgpj.exe" },
        { "nul\0.txt", "_nul.txt" },
        { "..", "file" },
        { "", "file" },
        { "...", "file" },
        { ".bashrc", "bashrc" },
        { "line\nbreak\r.txt", "linebreak.txt" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_name_is_saved_sanitized_inside_the_target_directory(string hostile, string expected)
    {
        string saved = await DownloadWithNameAsync(hostile);
        Assert.Equal(expected, Path.GetFileName(saved));
    }

    [Fact]
    public async Task A_4_KB_name_is_capped_and_keeps_its_extension()
    {
        string saved = await DownloadWithNameAsync(new string('a', 4090) + ".txt");
        string name = Path.GetFileName(saved);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= FileNameSanitizer.MaxNameBytes);
        Assert.EndsWith(".txt", name, StringComparison.Ordinal);
    }

    private async Task<string> DownloadWithNameAsync(string hostile)
    {
        using HttpClient alice = await server.CreateUserAsync();
        string path = folder.Write("plain.bin", RandomNumberGenerator.GetBytes(1000));
        using FilePointer honest = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None).WaitAsync(Wait);
        JsonNode json = JsonNode.Parse(honest.ToJson())!;
        json["name"] = hostile;
        Assert.True(FilePointer.TryParse(json.ToJsonString(), out FilePointer? evil));
        using (evil)
        {
            string inbox = folder.Subdirectory("inbox-" + Guid.NewGuid().ToString("N"));
            string saved = await new FileDownloader(alice).DownloadAsync(evil, inbox, null, CancellationToken.None).WaitAsync(Wait);
            Assert.Equal(inbox, Path.GetDirectoryName(saved));
            Assert.Single(Directory.GetFileSystemEntries(inbox));
            Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(saved));
            return saved;
        }
    }
}
