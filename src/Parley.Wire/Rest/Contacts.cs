using System.Text.Json.Serialization;

namespace Parley.Wire.Rest;

/// <summary>Body of <c>POST /v1/contacts/requests</c>: ask <see cref="Username"/> to become a contact.</summary>
public sealed class ContactRequestBody
{
    /// <summary>Most characters a request note may have.</summary>
    public const int MaxNoteLength = 280;

    /// <summary>The account to ask.</summary>
    [JsonPropertyName("username")]
    public string Username { get; set; } = string.Empty;

    /// <summary>Optional short note shown with the request (at most <see cref="MaxNoteLength"/> characters).</summary>
    [JsonPropertyName("note")]
    public string? Note { get; set; }
}

/// <summary>The states a contact row can be in, as JSON strings.</summary>
public static class ContactStates
{
    /// <summary>This account asked the other and waits.</summary>
    public const string Outgoing = "outgoing";

    /// <summary>The other account asked; answer with accept or decline.</summary>
    public const string Incoming = "incoming";

    /// <summary>Contacts: messages and presence flow both ways.</summary>
    public const string Accepted = "accepted";

    /// <summary>This account blocked the other.</summary>
    public const string Blocked = "blocked";
}

/// <summary>One row of <c>GET /v1/contacts</c>.</summary>
public sealed class ContactDto
{
    /// <summary>The other account's username.</summary>
    [JsonPropertyName("username")]
    public string Username { get; set; } = string.Empty;

    /// <summary>One of <see cref="ContactStates"/>.</summary>
    [JsonPropertyName("state")]
    public string State { get; set; } = string.Empty;

    /// <summary>The note of a pending request, if any.</summary>
    [JsonPropertyName("note")]
    public string? Note { get; set; }

    /// <summary>When the row last changed, Unix milliseconds.</summary>
    [JsonPropertyName("updatedMs")]
    public long UpdatedMs { get; set; }
}

/// <summary>Response of <c>GET /v1/contacts</c>.</summary>
public sealed class ContactListResponse
{
    /// <summary>All rows of the caller's contact list.</summary>
    [JsonPropertyName("contacts")]
    public IList<ContactDto> Contacts { get; init; } = [];
}
