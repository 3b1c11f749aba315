using System.Security.Cryptography;
using System.Text;
using Parley.Client.Transfers;
using Parley.Crypto.Attachments;
using Parley.EndToEnd.Tests.Files.Infrastructure;

namespace Parley.EndToEnd.Tests.Files;

/// <summary>
/// Alice encrypts and uploads, Bob downloads and decrypts, through the real server: every size edge
/// of the chunking, the pointer as it would travel in a message, no overwrite, several transfers at
/// once, and a server data directory that holds no plaintext.
/// </summary>
public sealed class TransferRoundTripScenarios : IDisposable
{
    private const int Chunk = AttachmentFormat.DefaultChunkSize;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly InProcessServer server = new();
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(10 * 1024 * 1024)]
    public async Task A_file_of_any_size_round_trips_byte_for_byte(int size)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        string path = folder.Write("report.bin", content);
        using HttpClient alice = await server.CreateUserAsync();
        using HttpClient bob = await server.CreateUserAsync();

        using FilePointer sent = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None, "application/pdf").WaitAsync(Wait);
        Assert.True(FilePointer.TryParse(sent.ToJson(), out FilePointer? received));
        using (received)
        {
            Assert.Equal(size, received.Size);
            Assert.Equal("report.bin", received.Name);
            Assert.Equal("application/pdf", received.ContentType);
            Assert.Equal(received.CiphertextLength, new FileInfo(server.BlobPath(received.BlobId)).Length);
            string inbox = folder.Subdirectory("inbox");
            string saved = await new FileDownloader(bob).DownloadAsync(received, inbox, null, CancellationToken.None).WaitAsync(Wait);
            Assert.Equal(Path.Combine(inbox, "report.bin"), saved);
            Assert.Equal(content, await File.ReadAllBytesAsync(saved));
            Assert.Single(Directory.GetFileSystemEntries(inbox));
        }
    }

    [Fact]
    public async Task A_second_download_gets_a_suffix_instead_of_overwriting()
    {
        string path = folder.Write("notes.txt", Encoding.UTF8.GetBytes("first"));
        using HttpClient alice = await server.CreateUserAsync();
        using FilePointer pointer = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None).WaitAsync(Wait);
        string inbox = folder.Subdirectory("inbox");
        await File.WriteAllTextAsync(Path.Combine(inbox, "notes.txt"), "keep me");

        var downloader = new FileDownloader(alice);
        string first = await downloader.DownloadAsync(pointer, inbox, null, CancellationToken.None).WaitAsync(Wait);
        string second = await downloader.DownloadAsync(pointer, inbox, null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(Path.Combine(inbox, "notes (1).txt"), first);
        Assert.Equal(Path.Combine(inbox, "notes (2).txt"), second);
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(inbox, "notes.txt")));
    }

    [Fact]
    public async Task Several_transfers_run_at_once()
    {
        using HttpClient alice = await server.CreateUserAsync();
        using HttpClient bob = await server.CreateUserAsync();
        var files = Enumerable.Range(0, 6).Select(i => (Name: $"f{i}.bin", Content: RandomNumberGenerator.GetBytes(300_000 + (i * 77_777)))).ToArray();
        string inbox = folder.Subdirectory("inbox");

        await Task.WhenAll(files.Select(async f =>
        {
            string path = folder.Write(f.Name, f.Content);
            using FilePointer pointer = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None);
            string saved = await new FileDownloader(bob).DownloadAsync(pointer, inbox, null, CancellationToken.None);
            Assert.Equal(f.Content, await File.ReadAllBytesAsync(saved));
        })).WaitAsync(Wait);

        Assert.Equal(files.Length, Directory.GetFiles(inbox).Length);
    }

    [Fact]
    public async Task The_server_data_directory_holds_no_plaintext_name_or_key()
    {
        byte[] marker = Encoding.UTF8.GetBytes("PLAINTEXT-CANARY-6f1c2d");
        byte[] content = Enumerable.Repeat(marker, 20_000).SelectMany(m => m).ToArray();
        string path = folder.Write("CANARYNAME-93ab.txt", content);
        using HttpClient alice = await server.CreateUserAsync();
        using FilePointer pointer = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None, "text/x-canarytype").WaitAsync(Wait);
        string json = pointer.ToJson();
        string key = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("key").GetString()!;

        var needles = new[] { marker, "CANARYNAME-93ab"u8.ToArray(), "x-canarytype"u8.ToArray(), Encoding.ASCII.GetBytes(key) };
        int scanned = 0;
        foreach (string file in Directory.EnumerateFiles(server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes = await File.ReadAllBytesAsync(file);
            scanned++;
            foreach (byte[] needle in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} holds a canary");
            }
        }

        Assert.True(scanned >= 2, "the scan saw the database and the blob");
    }
}
