using System.CommandLine;

namespace Parley.Cli.Commands;

/// <summary>Builds the whole <c>parley</c> command tree: names, arguments, options and help text.</summary>
internal static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Parley: end-to-end encrypted messaging from the command line.\n" +
            "Exit codes: 0 success, 1 failure, 2 usage error, 3 server unreachable, 4 wrong password, 5 not a contact, " +
            "6 blocked, 7 contact's key changed, 8 not logged in, 9 no such user, 10 server certificate changed, 11 server not trusted yet.");
        root.Add(GlobalOptions.Home);
        root.Add(GlobalOptions.Profile);
        root.Add(GlobalOptions.Json);

        root.Add(AccountCommands.Register());
        root.Add(AccountCommands.Login());
        root.Add(AccountCommands.Logout());
        root.Add(AccountCommands.WhoAmI());
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
        root.Add(StatusCommand.Build());
        root.Add(ContactCommands.Online());
        root.Add(DaemonCommand.Build());
        return root;
    }

    /// <summary>A required user-name argument.</summary>
    public static Argument<string> UserArgument(string description) => new("USER") { Description = description };
}
