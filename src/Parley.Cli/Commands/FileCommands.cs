using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>file send USER PATH</c> and <c>file get ID [--out DIR]</c>: encrypted file sharing. Progress
/// (bytes, rate, time left) goes to standard error so standard output stays data.
/// </summary>
internal static class FileCommands
{
    private static readonly Option<string> Out = new("--out")
    {
        Description = "Directory to save the file in (created if missing; default: the current directory). Existing files are never overwritten.",
        HelpName = "DIR",
    };

    public static Command File()
    {
        var command = new Command("file", "Share files end-to-end encrypted: the server stores only ciphertext under a random id.");
        command.Add(Send());
        command.Add(Get());
        return command;
    }

    private static Command Send()
    {
        var user = CommandTree.UserArgument("The contact to send the file to.");
        var path = new Argument<string>("PATH") { Description = "The file to send (any size up to the server's limit)." };
        var command = new Command("send", "Encrypt and upload a file (resuming after interruptions), then send it to a contact in an encrypted message.") { user, path };
        command.SetAction(async (ctx, ct) =>
        {
            string file = Path.GetFullPath(ctx.Get(path));
            var to = ctx.Get(user);
            if (Directory.Exists(file))
            {
                throw new CliException($"'{ctx.Get(path)}' is a directory; send the files in it one by one, or an archive of it.");
            }

            if (!System.IO.File.Exists(file))
            {
                throw new CliException($"There is no file '{ctx.Get(path)}'.");
            }

            await using var api = ctx.OpenApi();
            var sent = await WithProgressAsync(ctx, "Uploading", progress => api.SendFileAsync(new FileSendParams { Profile = ctx.Profile, To = to, Path = file }, progress, ct)).ConfigureAwait(false);
            AccountCommands.Print(ctx, sent, ApiJsonContext.Default.SentResult, $"sent {sent.Name} ({sent.Size} bytes) to {to}");
            return 0;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("ID") { Description = "The id of the message that carried the file (shown by receive, chat and history)." };
        var command = new Command("get", "Download, verify and decrypt a received file; prints where it was saved.") { id, Out };
        command.SetAction(async (ctx, ct) =>
        {
            string directory = Path.GetFullPath(ctx.Get(Out) is { Length: > 0 } chosen ? chosen : Directory.GetCurrentDirectory());
            await using var api = ctx.OpenApi();
            var saved = await WithProgressAsync(ctx, "Downloading", progress => api.GetFileAsync(new FileGetParams { Profile = ctx.Profile, Id = ctx.Get(id), Out = directory }, progress, ct)).ConfigureAwait(false);
            AccountCommands.Print(ctx, saved, ApiJsonContext.Default.FileGetResult, saved.Path);
            return 0;
        });
        return command;
    }

    /// <summary>Runs a transfer under a progress bar on standard error (none with --json or without a terminal).</summary>
    private static async Task<T> WithProgressAsync<T>(CommandContext ctx, string label, Func<Action<EventView>?, Task<T>> transfer)
    {
        if (ctx.Json || Console.IsErrorRedirected)
        {
            return await transfer(null).ConfigureAwait(false);
        }

        return await ctx.Output.Errors.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(label, maxValue: 1);
                var result = await transfer(e =>
                {
                    if (e.Type == "transfer")
                    {
                        task.MaxValue = Math.Max(1, e.Total ?? 1);
                        task.Value = e.Bytes ?? 0;
                    }
                }).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }
}
