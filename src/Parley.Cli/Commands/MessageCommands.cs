using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client.Errors;
using Parley.Client.Storage;
using Parley.Daemon.Api;

namespace Parley.Cli.Commands;

/// <summary><c>send</c>, <c>receive</c>, <c>history</c>.</summary>
internal static class MessageCommands
{
    /// <summary>The longest message text accepted (UTF-16 code units), well inside the relay's 256 KiB envelope.</summary>
    public const int MaxTextLength = ApiLimits.MaxTextLength;

    private static readonly Option<int> Wait = new("--wait")
    {
        Description = "Keep listening this many seconds for new messages after the queue is drained (0 = exit at once).",
        DefaultValueFactory = _ => 0,
        HelpName = "SECONDS",
    };

    private static readonly Option<int> Limit = new("--limit")
    {
        Description = "Show at most this many of the latest messages.",
        DefaultValueFactory = _ => 50,
        HelpName = "N",
    };

    public static Command Send()
    {
        var user = CommandTree.UserArgument("The contact to write to.");
        var text = new Argument<string[]>("TEXT") { Description = "The message; '-' reads it from standard input.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("send", "Encrypt and send a message to a contact.") { user, text };
        command.SetAction(async (ctx, ct) =>
        {
            var body = ReadText(ctx.Get(text));
            var to = ctx.Get(user);
            await using var api = ctx.OpenApi();
            SentResult sent;
            try
            {
                sent = await api.SendAsync(new SendParams { Profile = ctx.Profile, To = to, Text = body }, ct).ConfigureAwait(false);
            }
            catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachableMessageQueued)
            {
                AccountCommands.Print(ctx, new JsonObject { ["to"] = to, ["status"] = "queued" }, "queued: the server is unreachable");
                CliOutput.Failure(ctx.Json, ErrorSentences.Name(e.Kind), ErrorSentences.For(e.Kind), ExitCodes.ServerUnreachable);
                return ExitCodes.ServerUnreachable;
            }

            AccountCommands.Print(ctx, sent, ApiJsonContext.Default.SentResult, $"sent to {to}");
            return 0;
        });
        return command;
    }

    public static Command Receive()
    {
        var command = new Command("receive", "Fetch, decrypt, store and print new messages and events, then exit.") { Wait };
        command.SetAction(async (ctx, ct) =>
        {
            var wait = ctx.Get(Wait);
            if (wait < 0 || wait > 86_400)
            {
                throw new CliException("--wait must be between 0 and 86400 seconds.");
            }

            await using var api = ctx.OpenApi();
            var printer = new EventPrinter(ctx.Output);
            var count = 0;
            await api.ReceiveAsync(new ReceiveParams { Profile = ctx.Profile, Wait = wait }, e =>
            {
                if (e.Type is not ("transfer" or "connection"))
                {
                    count++;
                }

                printer.Print(e);
            }, ct).ConfigureAwait(false);
            if (count == 0 && !ctx.Json)
            {
                ctx.Output.Notice("No new messages.");
            }

            return 0;
        });
        return command;
    }

    public static Command History()
    {
        var user = CommandTree.UserArgument("The contact.");
        var command = new Command("history", "Show the conversation with a contact from the local store.") { user, Limit };
        command.SetAction(async (ctx, ct) =>
        {
            var limit = ctx.Get(Limit);
            if (limit < 1 || limit > ClientStore.MaxHistoryLimit)
            {
                throw new CliException($"--limit must be between 1 and {ClientStore.MaxHistoryLimit}.");
            }

            await using var api = ctx.OpenApi();
            var messages = (await api.HistoryAsync(new HistoryParams { Profile = ctx.Profile, User = ctx.Get(user), Limit = limit }, ct).ConfigureAwait(false)).Messages;
            var printer = new EventPrinter(ctx.Output);
            foreach (var message in messages)
            {
                printer.PrintMessage(message);
            }

            if (messages.Count == 0 && !ctx.Json)
            {
                ctx.Output.Notice("No messages with that contact yet.");
            }

            return 0;
        });
        return command;
    }

    private static string ReadText(string[] words)
    {
        var text = words is ["-"] ? Console.In.ReadToEnd().TrimEnd('\r', '\n') : string.Join(' ', words);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliException("The message is empty.");
        }

        if (text.Length > MaxTextLength)
        {
            throw new CliException($"The message is longer than {MaxTextLength} characters.");
        }

        return text;
    }
}
