using System.CommandLine;
using Parley.Cli.Help;
using Parley.Cli.Input;
using Parley.Cli.Output;

namespace Parley.Cli.Commands;

/// <summary>Builds the whole <c>parley</c> command tree: names, arguments, options and help text.</summary>
internal static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Parley: end-to-end encrypted messaging from the command line.\n" +
            "Exit codes: " + ExitCodes.Summary + ".");
        root.Add(GlobalOptions.Home);
        root.Add(GlobalOptions.Profile);
        root.Add(GlobalOptions.Json);
        root.Add(GlobalOptions.Debug);
        root.Add(GlobalOptions.DebugPlaintext);

        root.Add(LoginCommands.Register());
        root.Add(LoginCommands.Login());
        root.Add(AccountCommands.Logout());
        root.Add(AccountCommands.WhoAmI());
        root.Add(AccountCommands.Password());
        root.Add(AccountCommands.Account());
        root.Add(ContactCommands.Contacts());
        root.Add(ContactCommands.Block());
        root.Add(ContactCommands.Unblock());
        root.Add(MessageCommands.Send());
        root.Add(MessageCommands.Receive());
        root.Add(ChatCommand.Build());
        root.Add(MessageCommands.History());
        root.Add(FileCommands.File());
        root.Add(IdentityCommands.Verify());
        root.Add(IdentityCommands.Trust());
        root.Add(IdentityCommands.Disconnect());
        root.Add(ShellCommand.Create());
        root.Add(StatusCommand.Build());
        root.Add(ContactCommands.Online());
        root.Add(DaemonCommand.Build());
        root.Add(UiCommand.Build());
        root.Add(CallCommand.Build());
        HelpCommand.Install(root);
        return root;
    }

    /// <summary>A required user-name argument; a name the server would refuse is a usage error that names the rule.</summary>
    public static Argument<string> UserArgument(string description)
    {
        var argument = new Argument<string>("USER") { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ } token] && UserNameRule.Broken(token.Value) is { } rule)
            {
                result.AddError(rule);
            }
        });
        return argument;
    }
}
