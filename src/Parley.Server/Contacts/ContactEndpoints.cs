using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Contacts;

/// <summary>
/// <c>/v1/contacts</c>: list, request, accept, decline, cancel, remove, block, unblock. Thin: shape
/// checks here, rules in <see cref="ContactService"/>, errors as problem details.
/// </summary>
public static class ContactEndpoints
{
    private const long MaxBodyBytes = 4 * 1024;

    /// <summary>Maps the contact routes (all require the bearer token).</summary>
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/contacts");
        group.MapGet("", async (HttpContext context, ContactService contacts) =>
        {
            var rows = await contacts.ListAsync(Me(context).Id, context.RequestAborted);
            return Results.Ok(new ContactListResponse { Contacts = rows.Select(ToDto).ToList() });
        });
        group.MapPost("/requests", async (HttpContext context, ContactRequestBody body, ContactService contacts) =>
        {
            if (body is null || string.IsNullOrEmpty(body.Username) || body.Note?.Length > ContactRequestBody.MaxNoteLength)
            {
                throw ProblemException.BadRequest("Username required; note at most 280 characters");
            }

            await contacts.RequestAsync(Me(context), body.Username, string.IsNullOrEmpty(body.Note) ? null : body.Note, context.RequestAborted);
            return Results.NoContent();
        }).WithBodyLimit(MaxBodyBytes);
        MapAction(group, "/{username}/accept", (s, me, peer, ct) => s.AcceptAsync(me, peer, ct));
        MapAction(group, "/{username}/decline", (s, me, peer, ct) => s.DeclineAsync(me, peer, ct));
        MapAction(group, "/{username}/cancel", (s, me, peer, ct) => s.CancelAsync(me, peer, ct));
        MapAction(group, "/{username}/remove", (s, me, peer, ct) => s.RemoveAsync(me, peer, ct));
        MapAction(group, "/{username}/block", (s, me, peer, ct) => s.BlockAsync(me, peer, ct));
        MapAction(group, "/{username}/unblock", (s, me, peer, ct) => s.UnblockAsync(me, peer, ct));
        return endpoints;
    }

    private static void MapAction(RouteGroupBuilder group, string pattern, Func<ContactService, ContactRef, string, CancellationToken, Task> action)
    {
        group.MapPost(pattern, async (HttpContext context, string username, ContactService contacts) =>
        {
            await action(contacts, Me(context), username, context.RequestAborted);
            return Results.NoContent();
        });
    }

    private static ContactRef Me(HttpContext context) => new(context.User.GetAccountId().Value, context.User.GetUsername());

    private static ContactDto ToDto(ContactEntry entry) => new()
    {
        Username = entry.PeerName,
        State = entry.State switch
        {
            ContactState.Outgoing => ContactStates.Outgoing,
            ContactState.Incoming => ContactStates.Incoming,
            ContactState.Accepted => ContactStates.Accepted,
            _ => ContactStates.Blocked,
        },
        Note = entry.Note,
        UpdatedMs = entry.UpdatedMs,
    };
}
