using Parley.Daemon.Api;
using Parley.Daemon.Rpc;
using Json = Parley.Daemon.Api.ApiJsonContext;

namespace Parley.Daemon.Hosting;

/// <summary>
/// <c>files.send</c>, <c>files.get</c> and <c>files.cancel</c> as the daemon serves them: transfers
/// can be named (their progress events carry the name) and cancelled by name; a file staged by the
/// web app is removed once sent; a download without <c>out</c> is kept in the staging area for the
/// caller to fetch once.
/// </summary>
internal static class FileMethods
{
    public static void Register(RpcDispatcher d, ProfileRegistry registry, StagingArea staging)
    {
        var j = Json.Default;
        d.Add(ApiMethods.FilesSend, j.FileSendParams, j.SentResult, async (p, call, ct) =>
        {
            using var transfer = call.Transfers.Begin(p.Transfer, ct);
            var result = await Cancellable(transfer, () => DaemonMethods.Ops(registry, p, (o, c) => o.SendFileAsync(p, Progress(call, p.Transfer), c), transfer.Token), ct).ConfigureAwait(false);
            if (staging.Holds(p.Path))
            {
                StagingArea.Remove(p.Path);
            }

            return result;
        });
        d.Add(ApiMethods.FilesGet, j.FileGetParams, j.FileGetResult, async (p, call, ct) =>
        {
            using var transfer = call.Transfers.Begin(p.Transfer, ct);
            if (p.Out is not null)
            {
                return await Cancellable(transfer, () => DaemonMethods.Ops(registry, p, (o, c) => o.GetFileAsync(p, Progress(call, p.Transfer), c), transfer.Token), ct).ConfigureAwait(false);
            }

            var (token, directory) = staging.NewDownload();
            try
            {
                var staged = new FileGetParams { Profile = p.Profile, Id = p.Id, Out = directory, Transfer = p.Transfer };
                var result = await Cancellable(transfer, () => DaemonMethods.Ops(registry, staged, (o, c) => o.GetFileAsync(staged, Progress(call, p.Transfer), c), transfer.Token), ct).ConfigureAwait(false);
                return new FileGetResult { Id = result.Id, Path = result.Path, Staged = token };
            }
            catch
            {
                Directory.Delete(directory, recursive: true);
                throw;
            }
        });
        d.Add(ApiMethods.FilesCancel, j.FileCancelParams, j.OkResult, (p, call, _) =>
            call.Transfers.Cancel(p.Transfer)
                ? Task.FromResult(new OkResult())
                : throw ApiException.InvalidParams("No transfer of that name is running on this connection."));
    }

    private static async Task<T> Cancellable<T>(RunningTransfers.Lease transfer, Func<Task<T>> run, CancellationToken ct)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (transfer.CancelledByCaller(ct))
        {
            throw new ApiException(ApiErrorCodes.Cancelled, "The transfer was cancelled; send the same file again to resume its upload.");
        }
    }

    private static Action<EventView> Progress(RpcCall call, string? transfer) =>
        e => call.Post(RpcDispatcher.Notification(ApiMethods.EventNotification, transfer is null ? e : e.WithTransfer(transfer), Json.Default.EventView));
}
