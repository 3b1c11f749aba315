using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client.Errors;
using Parley.Daemon.Api;
using Parley.Daemon.Remote;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley call USER [--video]</c>: calls happen in the web app (the browser does the media), so
/// this opens the web app's call page for that contact — starting the daemon if none runs — and
/// prints its address. <c>parley call decline</c> and <c>parley call hangup</c> act on the daemon's
/// call in progress, for scripts.
/// </summary>
internal static class CallCommand
{
    private static readonly Option<bool> Video = new("--video") { Description = "A video call (default: voice only)." };

    private static readonly Option<bool> NoOpen = new("--no-open") { Description = "Only print the call page's address; do not open a browser." };

    public static Command Build()
    {
        var user = CommandTree.UserArgument("The contact to call.");
        var command = new Command("call", "Call a contact (voice, or video with --video) in the web app: prints the call page's address and opens your browser.") { user, Video, NoOpen };
        command.SetAction(async (ctx, ct) =>
        {
            var url = await UiCommand.EnsureDaemonAsync(ctx, ct).ConfigureAwait(false);
            var page = url + "&call=" + Uri.EscapeDataString(ctx.Get(user)) + "&media=" + (ctx.Get(Video) ? "video" : "audio");
            Console.Out.WriteLine(page);
            Console.Out.Flush();
            if (!ctx.Get(NoOpen))
            {
                UiCommand.OpenBrowser(page);
            }

            return 0;
        });
        command.Add(Action("decline", "Decline the call ringing now.", ApiMethods.CallsDecline, "Declined."));
        command.Add(Action("hangup", "Hang up the call in progress (or cancel the one you are placing).", ApiMethods.CallsHangup, "Hung up."));
        return command;
    }

    private static Command Action(string name, string description, string method, string done)
    {
        var command = new Command(name, description);
        command.SetAction(async (ctx, ct) =>
        {
            // Calls live in the daemon; without one there is no call to act on.
            await using var api = RemoteApi.TryConnect(ctx.Home, ctx.Options.KeyCache) ?? throw new Client.Errors.ParleyClientException(ClientErrorKind.NoSuchCall);
            var result = await api.CallAsync(method, new CallParams { Profile = ctx.Profile }, ApiJsonContext.Default.CallParams, ApiJsonContext.Default.OkResult, null, ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                CliOutput.JsonLine(result, ApiJsonContext.Default.OkResult);
            }
            else
            {
                ctx.Output.Console.WriteLine(done);
            }

            return 0;
        });
        return command;
    }
}
