using System.Collections.Concurrent;
using System.Text.Json;

namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>One Wycheproof test case together with the group it belongs to.</summary>
public sealed record WycheproofCase(int TcId, string Result, IReadOnlyList<string> Flags, JsonElement Group, JsonElement Test)
{
    public bool IsValid => Result == "valid";

    public bool IsInvalid => Result == "invalid";

    public bool HasFlag(string flag) => Flags.Contains(flag);

    public byte[] Hex(string name) => Convert.FromHexString(Test.GetProperty(name).GetString()!);

    public bool Has(string name) => Test.TryGetProperty(name, out _);

    public int GroupInt(string name) => Group.GetProperty(name).GetInt32();
}

/// <summary>A parsed Wycheproof JSON file (loaded once per test run).</summary>
public sealed class WycheproofFile
{
    private static readonly ConcurrentDictionary<string, WycheproofFile> Cache = new();

    private WycheproofFile(int declaredCount, IReadOnlyDictionary<int, WycheproofCase> cases)
    {
        DeclaredCount = declaredCount;
        Cases = cases;
    }

    /// <summary>The file's own numberOfTests header.</summary>
    public int DeclaredCount { get; }

    public IReadOnlyDictionary<int, WycheproofCase> Cases { get; }

    public static WycheproofFile Load(string fileName) => Cache.GetOrAdd(fileName, Parse);

    /// <summary>Theory data: one row per tcId.</summary>
    public static TheoryData<int> Ids(string fileName)
    {
        var data = new TheoryData<int>();
        foreach (var id in Load(fileName).Cases.Keys.Order())
        {
            data.Add(id);
        }

        return data;
    }

    private static WycheproofFile Parse(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(VectorPaths.Wycheproof(fileName)));
        var root = document.RootElement.Clone();
        var cases = new Dictionary<int, WycheproofCase>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var flags = test.TryGetProperty("flags", out var f)
                    ? f.EnumerateArray().Select(x => x.GetString()!).ToArray()
                    : [];
                var id = test.GetProperty("tcId").GetInt32();
                cases.Add(id, new WycheproofCase(id, test.GetProperty("result").GetString()!, flags, group, test));
            }
        }

        return new WycheproofFile(root.GetProperty("numberOfTests").GetInt32(), cases);
    }
}
