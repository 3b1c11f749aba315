using System.Text.Json;
using Parley.Client.Contacts;

namespace Parley.Client.Storage;

/// <summary>Contacts, each a sealed record found by a keyed tag of the user name.</summary>
public sealed partial class ClientStore
{
    /// <summary>Reads a contact, or null if the user is unknown.</summary>
    /// <param name="userName">The contact's user name.</param>
    /// <returns>The contact.</returns>
    public Contact? GetContact(string userName)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        var tag = _sealer.LookupTag("contact\0" + userName);
        using var cmd = Command("SELECT record FROM contacts WHERE tag = $tag");
        cmd.Parameters.AddWithValue("$tag", tag);
        return cmd.ExecuteScalar() is byte[] sealedRecord ? OpenContact(sealedRecord, tag) : null;
    }

    /// <summary>Inserts or replaces a contact.</summary>
    /// <param name="contact">The contact.</param>
    public void PutContact(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var tag = _sealer.LookupTag("contact\0" + contact.UserName);
        var json = JsonSerializer.SerializeToUtf8Bytes(ContactRecord.From(contact), ContactJsonContext.Default.ContactRecord);
        using var cmd = Command("INSERT INTO contacts (tag, record) VALUES ($tag, $r) ON CONFLICT (tag) DO UPDATE SET record = excluded.record");
        cmd.Parameters.AddWithValue("$tag", tag);
        cmd.Parameters.AddWithValue("$r", _sealer.Seal(json, ContactLocation(tag)));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Lists every known contact, sorted by name.</summary>
    /// <returns>The contacts.</returns>
    public IReadOnlyList<Contact> ListContacts()
    {
        var result = new List<Contact>();
        using var cmd = Command("SELECT tag, record FROM contacts");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            result.Add(OpenContact((byte[])reader["record"], (byte[])reader["tag"]));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.UserName, b.UserName));
        return result;
    }

    private Contact OpenContact(byte[] sealedRecord, byte[] tag)
    {
        var json = _sealer.Open(sealedRecord, ContactLocation(tag));
        try
        {
            return (JsonSerializer.Deserialize(json, ContactJsonContext.Default.ContactRecord)
                ?? throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt)).ToContact();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt, e);
        }
    }

    private static string ContactLocation(byte[] tag) => "contacts/" + Convert.ToHexString(tag);
}
