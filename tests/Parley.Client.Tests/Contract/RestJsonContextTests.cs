using System.Reflection;
using System.Text.Json;
using Parley.Wire.Rest;

namespace Parley.Client.Tests.Contract;

/// <summary>
/// The client reads and writes REST bodies only through the generated <see cref="RestJsonContext"/>
/// (no reflection, so a natively compiled <c>parley</c> works): it must cover every body type and
/// produce exactly what the server's reflection-based web defaults produce.
/// </summary>
public sealed class RestJsonContextTests
{
    private static readonly JsonSerializerOptions ServerDefaults = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Every_rest_body_type_has_a_generated_contract()
    {
        var bodies = typeof(RestJson).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == typeof(RestJson).Namespace && !(t.IsAbstract && t.IsSealed) && !t.IsEnum && t != typeof(RestJsonContext))
            .ToList();

        Assert.NotEmpty(bodies);
        Assert.All(bodies, t => Assert.True(RestJsonContext.Default.GetTypeInfo(t) is not null, t.Name + " has no generated JSON contract"));
    }

    public static TheoryData<object> Samples() =>
    [
        new LoginStartRequest("alice", new PowSolution("Y2hhbGxlbmdl", 42), null),
        new LoginStartResponse("id", "c2FsdA==", "Qg==", "YXJnb24=", new Argon2ParametersDto(65536, 3, 1)),
        new LoginFinishResponse("TTI=", "token", new DateTimeOffset(2026, 12, 1, 1, 2, 3, TimeSpan.Zero), null),
        new PreKeyCountResponse(3, 4, true, true, false, true, "aWRlbnRpdHk="),
        new OneTimePreKeysUpload(["a2V5MQ==", "a2V5Mg=="]),
        new ContactRequestBody { Username = "bob", Note = "hi" },
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Generated_json_equals_the_servers_web_defaults(object body)
    {
        var type = body.GetType();
        var generated = JsonSerializer.Serialize(body, RestJsonContext.Default.GetTypeInfo(type)!);

        Assert.Equal(JsonSerializer.Serialize(body, type, ServerDefaults), generated);
        Assert.Equal(generated, JsonSerializer.Serialize(JsonSerializer.Deserialize(generated, RestJsonContext.Default.GetTypeInfo(type)!), type, ServerDefaults));
    }
}
