using System.Net;
using System.Security.Cryptography;
using Parley.Client.Transfers;
using Parley.EndToEnd.Tests.Files.Infrastructure;

namespace Parley.EndToEnd.Tests.Files;

/// <summary>
/// Interrupted transfers resume where they stopped: an upload killed midway continues from the
/// server's offset (from a fresh uploader holding only the handle), and a download whose connection
/// drops continues with a Range request — both ending with a verified, identical file.
/// </summary>
public sealed class ResumeScenarios : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly InProcessServer server = new(realSockets: true);
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task An_upload_killed_midway_resumes_from_the_servers_offset()
    {
        byte[] content = RandomNumberGenerator.GetBytes(48 * 1024 * 1024);
        string path = folder.Write("movie.mkv", content);
        using var kill = new CancellationTokenSource();
        var firstRun = new CountUploadBytes(killAt: 32 * 1024 * 1024, kill);
        using HttpClient killed = await server.CreateUserAsync(firstRun);
        using UploadHandle handle = await new FileUploader(killed).CreateAsync(path, CancellationToken.None).WaitAsync(Wait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FileUploader(killed).SendAsync(handle, null, kill.Token).WaitAsync(Wait));

        // A new uploader (as after a restart) holding only the handle finishes the job.
        var secondRun = new CountUploadBytes(killAt: long.MaxValue, kill);
        using HttpClient again = server.CreateClientLike(killed, secondRun);
        var resumed = new SyncProgress(_ => { });
        using FilePointer pointer = await new FileUploader(again).SendAsync(handle, resumed, CancellationToken.None).WaitAsync(Wait);
        Assert.Equal(handle.CiphertextLength, resumed.Last!.Value.BytesTransferred);
        // Up to ~10 MiB can sit in loopback socket buffers when the client dies, so the server holds at
        // least ~22 MiB; a restart from zero would send all 48 MiB again.
        Assert.True(secondRun.Bytes <= handle.CiphertextLength - (16 * 1024 * 1024), "the resumed run did not resend what the server held");

        string saved = await new FileDownloader(again).DownloadAsync(pointer, folder.Subdirectory("in"), null, CancellationToken.None).WaitAsync(Wait);
        Assert.Equal(content, await File.ReadAllBytesAsync(saved));
    }

    [Fact]
    public async Task A_download_whose_connection_drops_resumes_with_a_range_request()
    {
        byte[] content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        string path = folder.Write("photo.jpg", content);
        using HttpClient alice = await server.CreateUserAsync();
        using FilePointer pointer = await new FileUploader(alice).UploadFileAsync(path, null, CancellationToken.None).WaitAsync(Wait);

        var dropper = new DropFirstDownload(afterBytes: 1_000_000);
        using HttpClient bob = await server.CreateUserAsync(dropper);
        string saved = await new FileDownloader(bob).DownloadAsync(pointer, folder.Subdirectory("in"), null, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(content, await File.ReadAllBytesAsync(saved));
        Assert.Equal(2, dropper.Requests.Count);
        Assert.Null(dropper.Requests[0]);
        Assert.True(dropper.Requests[1] is > 0 and <= 1_000_000);
    }

    /// <summary>Reports synchronously on the transfer's thread (Progress&lt;T&gt; would post later).</summary>
    private sealed class SyncProgress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public TransferProgress? First { get; private set; }

        public TransferProgress? Last { get; private set; }

        public void Report(TransferProgress value)
        {
            First ??= value;
            Last = value;
            onReport(value);
        }
    }

    /// <summary>Counts PATCH body bytes on the wire and cancels the upload (kills it) after a given count.</summary>
    private sealed class CountUploadBytes(long killAt, CancellationTokenSource kill) : DelegatingHandler
    {
        private long bytes;

        public long Bytes => Interlocked.Read(ref bytes);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Patch && request.Content is { } inner)
            {
                var counted = new CountingContent(inner, n =>
                {
                    if (Interlocked.Add(ref bytes, n) >= killAt)
                    {
                        kill.Cancel();
                    }
                });
                foreach (var header in inner.Headers)
                {
                    counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = counted;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingContent(HttpContent inner, Action<int> written) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            inner.CopyToAsync(new CountingStream(stream, written));

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            inner.CopyToAsync(new CountingStream(stream, written), cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CountingStream(Stream inner, Action<int> written) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            written(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            written(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Cuts the body of the first download after some bytes, as a dropped connection would.</summary>
    private sealed class DropFirstDownload(int afterBytes) : DelegatingHandler
    {
        public List<long?> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (request.Method != HttpMethod.Get || !response.IsSuccessStatusCode)
            {
                return response;
            }

            Requests.Add(request.Headers.Range?.Ranges.Single().From);
            if (Requests.Count > 1)
            {
                return response;
            }

            var cut = new StreamContent(new CuttingStream(await response.Content.ReadAsStreamAsync(cancellationToken), afterBytes));
            foreach (var header in response.Content.Headers)
            {
                cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = cut;
            return response;
        }
    }

    private sealed class CuttingStream(Stream inner, int afterBytes) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException(); // the client reads asynchronously

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (read >= afterBytes)
            {
                throw new IOException("connection reset by peer");
            }

            int n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, afterBytes - read)], cancellationToken);
            read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
