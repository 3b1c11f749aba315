using Parley.Cli.Commands;
using Parley.Client;
using Parley.Client.Transport;
using Spectre.Console;

namespace Parley.Cli.Input;

/// <summary>Builds the server-trust policy: a fingerprint given up front, or an interactive first-use question.</summary>
internal static class ServerTrustPrompt
{
    public static ServerTrustPolicy Policy(CommandContext ctx, string? trustServer, bool interactive)
    {
        ServerFingerprint? expected = null;
        if (trustServer is not null)
        {
            if (!ServerFingerprint.TryParse(trustServer, out var parsed))
            {
                throw new CliException("The --trust-server value must look like SHA256: followed by 64 hex digits.");
            }

            expected = parsed;
        }

        Func<ServerFingerprint, bool>? ask = interactive && expected is null ? fp => Ask(ctx, fp) : null;
        return new ServerTrustPolicy(expected, ask);
    }

    private static bool Ask(CommandContext ctx, ServerFingerprint fingerprint)
    {
        var console = ctx.Output.Errors;
        console.MarkupLine("This is the first connection to this server. Its certificate fingerprint is:");
        console.MarkupLine("  [bold]" + Markup.Escape(fingerprint.ToString()) + "[/]");
        console.MarkupLine("Compare it with the fingerprint the server's operator published (the server prints it at start-up).");
        return console.Prompt(new ConfirmationPrompt("Trust this server?") { DefaultValue = false });
    }
}
