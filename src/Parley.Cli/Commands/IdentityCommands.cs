using System.CommandLine;
using Parley.Cli.Output;
using Parley.Daemon.Api;
using QRCoder;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>verify</c> (safety number and QR code) and <c>trust</c> (accept a changed key).</summary>
internal static class IdentityCommands
{
    private static readonly Option<bool> Confirm = new("--confirm")
    {
        Description = "Mark the contact as verified after you compared the numbers in person or over a trusted channel.",
    };

    public static Command Verify()
    {
        var user = CommandTree.UserArgument("The contact to verify.");
        var command = new Command("verify", "Show the safety number (12 groups of 5 digits) and a QR code to compare with a contact.") { user, Confirm };
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var who = ctx.Get(user);
            var confirm = ctx.Get(Confirm);
            var result = await api.VerifyAsync(new VerifyParams { Profile = ctx.Profile, User = who, Confirm = confirm }, ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                CliOutput.JsonLine(result, ApiJsonContext.Default.VerifyResult);
                return 0;
            }

            ctx.Output.Line($"Safety number with {who}:");
            var groups = result.SafetyNumber.Split(' ');
            for (var row = 0; row < groups.Length; row += 4)
            {
                ctx.Output.Line("  " + string.Join("  ", groups.Skip(row).Take(4)));
            }

            ctx.Output.Line(string.Empty);
            ctx.Output.Line(RenderQr(Convert.FromBase64String(result.Qr)));
            ctx.Output.Line(confirm
                ? $"{who} is now marked as verified."
                : $"If {who} sees the same numbers, run 'parley verify {who} --confirm'.");
            return 0;
        });
        return command;
    }

    public static Command Trust()
    {
        var user = CommandTree.UserArgument("The contact whose new identity key you accept.");
        var command = new Command("trust", "Accept a contact's changed identity key after verifying it, so you can message them again.") { user };
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var who = ctx.Get(user);
            var result = await api.TrustAsync(new UserParams { Profile = ctx.Profile, User = who }, ct).ConfigureAwait(false);
            AccountCommands.Print(
                ctx,
                result,
                ApiJsonContext.Default.TrustResult,
                result.Changed ? $"Accepted {who}'s new identity key; compare safety numbers with 'parley verify {who}'." : $"{who}'s identity key has not changed; nothing to do.");
            return 0;
        });
        return command;
    }

    public static Command Disconnect()
    {
        var user = CommandTree.UserArgument("The contact whose secure session you end.");
        var command = new Command("disconnect", "End the secure session with a contact: both sides forget its keys, and the next message starts a new key agreement. History stays.") { user };
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var who = ctx.Get(user);
            var result = await api.DisconnectAsync(new UserParams { Profile = ctx.Profile, User = who }, ct).ConfigureAwait(false);
            AccountCommands.Print(
                ctx,
                result,
                ApiJsonContext.Default.DisconnectResult,
                result.Ended ? $"Ended the secure session with {who}; the next message starts a new one." : $"There is no secure session with {who}; the next message starts one.");
            return 0;
        });
        return command;
    }

    /// <summary>Renders the QR payload with QRCoder's compact ASCII renderer (two rows per text line).</summary>
    internal static string RenderQr(byte[] payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var ascii = new AsciiQRCode(data);
        return ascii.GetGraphicSmall();
    }
}
