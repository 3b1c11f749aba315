using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Output;
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
            await using var client = ctx.Resume();
            var status = await client.Presence.GetStatusAsync(ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                CliOutput.JsonLine(new JsonObject
                {
                    ["user"] = client.User.Value,
                    ["server"] = client.Server.ToString(),
                    ["connected"] = status.Connected,
                    ["pendingOutgoing"] = status.PendingOutgoing,
                    ["online"] = new JsonArray(status.OnlineContacts.Select(u => (JsonNode)u).ToArray()),
                });
                return 0;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("User", Markup.Escape(client.User.Value));
            grid.AddRow("Server", Markup.Escape(client.Server.ToString()));
            grid.AddRow("Connection", status.Connected ? "[green]connected[/]" : "[red]unreachable[/]");
            grid.AddRow("Waiting to send", status.PendingOutgoing.ToString(System.Globalization.CultureInfo.InvariantCulture));
            grid.AddRow("Contacts online", status.OnlineContacts.Count == 0 ? "none" : Markup.Escape(string.Join(", ", status.OnlineContacts)));
            ctx.Output.Console.Write(grid);
            return 0;
        });
        return command;
    }
}
