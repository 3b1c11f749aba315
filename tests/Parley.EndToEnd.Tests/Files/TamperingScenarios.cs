using System.Security.Cryptography;
using Parley.Client.Transfers;
using Parley.Crypto.Attachments;
using Parley.EndToEnd.Tests.Files.Infrastructure;

namespace Parley.EndToEnd.Tests.Files;

/// <summary>
/// An evil storage operator edits the blob on the server's disk. Every edit is caught while
/// downloading, reported as a corrupt file, and nothing — neither the final name nor a temporary
/// file — is left in the target directory.
/// </summary>
public sealed class TamperingScenarios : IDisposable
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

    public static TheoryData<string> Edits => ["bit flip", "truncated mid-chunk", "truncated at a chunk boundary", "bytes appended", "two chunks swapped", "other blob"];

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task A_tampered_blob_is_rejected_and_leaves_nothing(string edit)
    {
        using HttpClient alice = await server.CreateUserAsync();
        string path = folder.Write("secret.pdf", RandomNumberGenerator.GetBytes((3 * Chunk) + 100));
        using FilePointer pointer = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None).WaitAsync(Wait);
        string blob = server.BlobPath(pointer.BlobId);
        int sealedChunk = Chunk + AttachmentFormat.TagLength;
        switch (edit)
        {
            case "bit flip":
                Edit(blob, bytes => bytes[AttachmentFormat.HeaderLength + 1000] ^= 0x01);
                break;
            case "truncated mid-chunk":
                Truncate(blob, AttachmentFormat.HeaderLength + sealedChunk + 500);
                break;
            case "truncated at a chunk boundary":
                Truncate(blob, AttachmentFormat.HeaderLength + (3 * sealedChunk));
                break;
            case "bytes appended":
                await File.AppendAllTextAsync(blob, "more");
                break;
            case "two chunks swapped":
                Edit(blob, bytes =>
                {
                    var first = bytes.AsSpan(AttachmentFormat.HeaderLength, sealedChunk).ToArray();
                    bytes.AsSpan(AttachmentFormat.HeaderLength + sealedChunk, sealedChunk).CopyTo(bytes.AsSpan(AttachmentFormat.HeaderLength));
                    first.CopyTo(bytes.AsSpan(AttachmentFormat.HeaderLength + sealedChunk));
                });
                break;
            default:
                string otherPath = folder.Write("other.bin", RandomNumberGenerator.GetBytes((3 * Chunk) + 100));
                using (FilePointer other = await new FileUploader(alice).UploadFileAsync(otherPath, null, CancellationToken.None).WaitAsync(Wait))
                {
                    File.Copy(server.BlobPath(other.BlobId), blob, overwrite: true);
                }

                break;
        }

        string inbox = folder.Subdirectory("inbox");
        var error = await Assert.ThrowsAsync<TransferException>(
            () => new FileDownloader(alice).DownloadAsync(pointer, inbox, null, CancellationToken.None).WaitAsync(Wait));
        Assert.Equal(TransferError.Corrupt, error.Error);
        Assert.NotEqual(AttachmentError.None, error.CorruptReason);
        Assert.Empty(Directory.GetFileSystemEntries(inbox));
    }

    private static void Edit(string path, Action<byte[]> change)
    {
        byte[] bytes = File.ReadAllBytes(path);
        change(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }
}
