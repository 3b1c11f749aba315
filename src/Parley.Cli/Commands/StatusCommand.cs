using System.CommandLine;
using Parley.Cli.Output;
using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>status</c>: server, connection, pending outgoing messages, contacts online.</summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var command = new Command("status", "Show the server, whether it is reachable, messages waiting to be sent, and which contacts are online.");
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var status = await api.StatusAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                CliOutput.JsonLine(status, ApiJsonContext.Default.StatusResult);
                return 0;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("User", Markup.Escape(status.User));
            grid.AddRow("Server", Markup.Escape(status.Server));
            grid.AddRow("Connection", status.Connected ? "[green]connected[/]" : "[red]unreachable[/]");
            grid.AddRow("Waiting to send", status.PendingOutgoing.ToString(System.Globalization.CultureInfo.InvariantCulture));
            grid.AddRow("Contacts online", status.Online.Count == 0 ? "none" : Markup.Escape(string.Join(", ", status.Online)));
            ctx.Output.Console.Write(grid);
            return 0;
        });
        return command;
    }
}
