using Parley.Client.Conversations;
using Parley.Client.Messaging;
using Parley.Client.Profiles;

namespace Parley.Client.Transfers;

/// <summary>
/// File sharing on top of messaging: the file is encrypted and uploaded first, then its pointer goes
/// to the contact in an ordinary encrypted message (so the usual checks — contact, block, key change —
/// apply, and they are made before any byte is uploaded). The store is held only around its own
/// work, never during a transfer.
/// </summary>
public sealed class TransferService
{
    /// <summary>Store namespace of unfinished uploads (blob id and file key, sealed).</summary>
    private const string UploadSpace = "upload";

    private const string DefaultFileType = "application/octet-stream";

    private readonly ProfileContext _context;
    private readonly ConversationService _conversations;

    internal TransferService(ProfileContext context, ConversationService conversations)
    {
        _context = context;
        _conversations = conversations;
    }

    /// <summary>Encrypts and uploads <paramref name="path"/>, then sends its pointer to <paramref name="peer"/>.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="path">The local file.</param>
    /// <param name="progress">Receives upload progress.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The id of the message carrying the pointer.</returns>
    public async Task<MessageId> SendFileAsync(string peer, string path, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        await _context.LockedAsync(() => _conversations.EnsureCanSendLockedAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
        var uploader = new FileUploader(_context.Transport.Http, _context.RequireToken());
        var resumeKey = UploadHandle.ResumeKey(name, path);
        using var handle = await ResumeOrCreateUploadAsync(uploader, resumeKey, path, cancellationToken).ConfigureAwait(false);
        FilePointer file;
        try
        {
            file = await uploader.SendAsync(handle, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (TransferException e) when (e.Error == TransferError.NotFound)
        {
            // The unfinished upload expired on the server: forget it so the next attempt starts afresh.
            await ForgetUploadAsync(resumeKey, cancellationToken).ConfigureAwait(false);
            throw;
        }

        using (file)
        {
            var id = await _conversations.SendFileAsync(name, file, cancellationToken).ConfigureAwait(false);
            await ForgetUploadAsync(resumeKey, cancellationToken).ConfigureAwait(false);
            return id;
        }
    }

    /// <summary>
    /// Downloads the file of a stored file message into <paramref name="directory"/>, verified, under a
    /// sanitized name that does not overwrite anything.
    /// </summary>
    /// <param name="messageId">The id of the message that carried the file (as shown by receive/history).</param>
    /// <param name="directory">Where to save it.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The path the file was saved under.</returns>
    public async Task<string> GetFileAsync(string messageId, string directory, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var message = MessageId.TryParse(messageId, out var id)
            ? await _context.Locked(() => _context.Store.GetMessage(id), cancellationToken).ConfigureAwait(false)
            : null;
        if (message is null || !FileMessageText.TryParse(message.Text, out FilePointer? file))
        {
            throw new FileNotFoundException("No file message with that id in this profile.");
        }

        using (file)
        {
            var downloader = new FileDownloader(_context.Transport.Http, _context.RequireToken());
            return await downloader.DownloadAsync(file, directory, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Continues an upload of the same unchanged file to the same peer that an earlier run left
    /// unfinished (its key and blob id are kept sealed in the store), or creates a new one and
    /// records it there before any byte is sent.
    /// </summary>
    private async Task<UploadHandle> ResumeOrCreateUploadAsync(FileUploader uploader, string resumeKey, string path, CancellationToken cancellationToken)
    {
        var state = await _context.Locked(() => _context.Store.GetSecret(UploadSpace, resumeKey), cancellationToken).ConfigureAwait(false);
        if (state is not null)
        {
            try
            {
                if (UploadHandle.ImportResumeState(state, path, DefaultFileType) is { } resumed)
                {
                    return resumed;
                }
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(state);
            }
        }

        var created = await uploader.CreateAsync(path, cancellationToken, DefaultFileType).ConfigureAwait(false);
        var export = created.ExportResumeState();
        try
        {
            await _context.Locked(() => _context.Store.PutSecret(UploadSpace, resumeKey, export), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(export);
        }

        return created;
    }

    private Task ForgetUploadAsync(string resumeKey, CancellationToken cancellationToken) =>
        _context.Locked(() => { _context.Store.RemoveSecret(UploadSpace, resumeKey); }, cancellationToken);
}
