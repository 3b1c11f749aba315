using System.Text;
using System.Text.Json;
using Parley.Crypto.Bundles;
using Parley.Crypto.Tests.Infrastructure;
using Parley.Wire.Rest;

namespace Parley.Fuzz.Targets;

/// <summary>
/// REST answers as the client reads them (ServerApi: System.Text.Json with the web defaults, only
/// <see cref="JsonException"/> expected), one target per response type the client parses, and the
/// bundle answer followed down the client's path (base64, <see cref="PreKeyBundle.TryParse"/>,
/// signature check). Requests as the server binds them are covered by the same types' round trip.
/// </summary>
internal static class RestTargets
{
    public static IEnumerable<FuzzTarget> All()
    {
        var bundle = Convert.ToBase64String(Decoders.All["PreKeyBundle"].Valid[0]);
        yield return Json<PreKeyBundleResponse>("Rest.PreKeyBundleResponse", [new PreKeyBundleResponse(bundle)], FollowBundle);
        yield return Json<LoginStartResponse>("Rest.LoginStartResponse",
            [new LoginStartResponse("0123456789abcdef", "c2FsdA==", Convert.ToBase64String(new byte[384]), "c2FsdHNhbHRzYWx0c2FsdA==", new Argon2ParametersDto(65536, 3, 1))]);
        yield return Json<LoginFinishResponse>("Rest.LoginFinishResponse", [new LoginFinishResponse("bTI=", "token", DateTimeOffset.UnixEpoch)]);
        yield return Json<PowChallengeResponse>("Rest.PowChallengeResponse", [new PowChallengeResponse("Y2hhbGxlbmdl", 12, DateTimeOffset.UnixEpoch)]);
        yield return Json<PreKeyCountResponse>("Rest.PreKeyCountResponse", [new PreKeyCountResponse(100, 100, true, true, true, true), new PreKeyCountResponse(1, 0, true, false, false, true, "BQ==")]);
        yield return Json<ContactListResponse>("Rest.ContactListResponse",
            [new ContactListResponse { Contacts = [new ContactDto { Username = "bob", State = ContactStates.Accepted, Note = "hi", UpdatedMs = 5 }] }]);
        yield return Json<RegisterRequest>("Rest.RegisterRequest",
            [new RegisterRequest("alice", "c2FsdA==", "dmVyaWZpZXI=", "c2FsdA==", new Argon2ParametersDto(65536, 3, 1), new PowSolution("Y2g=", 42), "invite")]);
    }

    private static FuzzTarget Json<T>(string name, IReadOnlyList<T> samples, Action<T>? follow = null) =>
        new(name, input =>
        {
            T? value;
            try
            {
                value = JsonSerializer.Deserialize<T>(input, JsonSerializerOptions.Web);
            }
            catch (JsonException)
            {
                return;
            }

            if (value is not null)
            {
                follow?.Invoke(value);
            }
        }, [.. samples.Select(s => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(s, JsonSerializerOptions.Web)))]);

    private static void FollowBundle(PreKeyBundleResponse response)
    {
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(response.Bundle ?? string.Empty);
        }
        catch (FormatException)
        {
            return;
        }

        if (raw.Length <= PreKeyBundle.MaxSerializedSize && PreKeyBundle.TryParse(raw, out var parsed))
        {
            _ = parsed.Verify();
        }
    }
}
