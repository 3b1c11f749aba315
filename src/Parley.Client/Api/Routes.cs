namespace Parley.Client.Api;

/// <summary>The server's REST paths, in one place.</summary>
internal static class Routes
{
    public const string PowChallenge = "/v1/auth/challenge";
    public const string Register = "/v1/accounts";
    public const string LoginStart = "/v1/auth/login/start";
    public const string LoginFinish = "/v1/auth/login/finish";
    public const string Logout = "/v1/auth/logout";
    public const string Account = "/v1/account";
    public const string DeleteAccount = "/v1/account/delete";
    public const string ChangePassword = "/v1/account/password";
    public const string Keys = "/v1/keys";
    public const string Contacts = "/v1/contacts";
    public const string ContactRequests = "/v1/contacts/requests";
    public const string RelaySocket = "/v1/ws";

    public static string Bundle(string user) => "/v1/keys/" + Uri.EscapeDataString(user);

    public static string ContactAction(string user, string action) => "/v1/contacts/" + Uri.EscapeDataString(user) + "/" + action;
}
