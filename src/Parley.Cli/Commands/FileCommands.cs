using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client.Errors;
using Parley.Client.Transfers;
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
            string file = ctx.Get(path);
            var to = ctx.Get(user);
            if (Directory.Exists(file))
            {
                throw new CliException($"'{file}' is a directory; send the files in it one by one, or an archive of it.");
            }

            if (!System.IO.File.Exists(file))
            {
                throw new CliException($"There is no file '{file}'.");
            }

            var size = new FileInfo(file).Length;
            await using var client = ctx.Resume();
            var id = await WithProgressAsync(ctx, "Uploading", progress => client.Transfers.SendFileAsync(to, file, progress, ct)).ConfigureAwait(false);
            AccountCommands.Print(
                ctx,
                new JsonObject { ["id"] = id.ToString(), ["to"] = to, ["status"] = "sent", ["name"] = Path.GetFileName(file), ["size"] = size },
                $"sent {Path.GetFileName(file)} ({size} bytes) to {to}");
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
            string directory = ctx.Get(Out) is { Length: > 0 } chosen ? chosen : Directory.GetCurrentDirectory();
            await using var client = ctx.Resume();
            string saved;
            try
            {
                saved = await WithProgressAsync(ctx, "Downloading", progress => client.Transfers.GetFileAsync(ctx.Get(id), directory, progress, ct)).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                throw new CliException("No received file has that message id in this profile; check 'parley history USER'.");
            }

            if (ctx.Json)
            {
                CliOutput.JsonLine(new JsonObject { ["id"] = ctx.Get(id), ["path"] = saved });
            }
            else
            {
                ctx.Output.Line(saved);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Runs a transfer under a progress bar on standard error (none with --json or without a terminal).</summary>
    private static async Task<T> WithProgressAsync<T>(CommandContext ctx, string label, Func<IProgress<TransferProgress>?, Task<T>> transfer)
    {
        try
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
                    var result = await transfer(new SpectreProgress(task)).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    return result;
                }).ConfigureAwait(false);
        }
        catch (TransferException e) when (e.Error == TransferError.Interrupted)
        {
            throw new CliException("The server cannot be reached (the transfer was interrupted); run the same command again to resume.", ExitCodes.ServerUnreachable, "server-unreachable");
        }
        catch (HttpRequestException)
        {
            throw CliException.From(ClientErrorKind.ServerUnreachable);
        }
        catch (TransferException e)
        {
            throw new CliException(e.Message, ExitCodes.Failure, "transfer-" + ErrorSentences.Kebab(e.Error.ToString()));
        }
    }

    /// <summary>Feeds transfer reports into a Spectre progress task.</summary>
    private sealed class SpectreProgress(ProgressTask task) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            task.MaxValue = Math.Max(1, value.TotalBytes);
            task.Value = value.BytesTransferred;
        }
    }
}
