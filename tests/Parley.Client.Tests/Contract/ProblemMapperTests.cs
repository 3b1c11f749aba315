using System.Net;
using Parley.Client.Api;
using Parley.Client.Errors;

namespace Parley.Client.Tests.Contract;

/// <summary>The server's problem responses (status, urn:parley:problem:TYPE, title) map to the errors users read.</summary>
public sealed class ProblemMapperTests
{
    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "unauthorized", "", ClientErrorKind.NotLoggedIn)]
    [InlineData(HttpStatusCode.Conflict, "contact-blocked", "Unblock this user first", ClientErrorKind.Blocked)]
    [InlineData(HttpStatusCode.NotFound, "not-found", "No such user", ClientErrorKind.UserDoesNotExist)]
    [InlineData(HttpStatusCode.NotFound, "not-found", "No such account", ClientErrorKind.UserDoesNotExist)]
    [InlineData(HttpStatusCode.NotFound, "not-found", "Not a contact", ClientErrorKind.NotAContact)]
    [InlineData(HttpStatusCode.TooManyRequests, "rate-limited", "Too many requests", ClientErrorKind.Refused)]
    [InlineData(HttpStatusCode.InternalServerError, "internal", "Internal error", ClientErrorKind.ServerUnreachable)]
    [InlineData(HttpStatusCode.BadRequest, "bad-request", "Malformed JSON", ClientErrorKind.Refused)]
    [InlineData(HttpStatusCode.Conflict, "no-pending-request", "No pending request", ClientErrorKind.NoPendingRequest)]
    [InlineData(HttpStatusCode.NotFound, "calls-not-configured", "Calls are not configured on this server", ClientErrorKind.CallsNotConfigured)]
    public void Problems_map_to_client_errors(HttpStatusCode status, string type, string title, ClientErrorKind expected)
    {
        Assert.Equal(expected, ProblemMapper.Map(status, new ProblemBody { Type = "urn:parley:problem:" + type, Title = title }));
    }

    [Fact]
    public void A_missing_or_foreign_problem_body_still_maps_by_status()
    {
        Assert.Equal(ClientErrorKind.NotLoggedIn, ProblemMapper.Map(HttpStatusCode.Unauthorized, null));
        Assert.Equal(ClientErrorKind.Refused, ProblemMapper.Map(HttpStatusCode.Conflict, new ProblemBody { Type = "https://example.org/contact-blocked" }));
    }
}
