using Parley.Fuzz.Targets;

namespace Parley.Fuzz.Tests;

/// <summary>
/// The fuzz targets themselves, in process and uninstrumented: every decoder of untrusted bytes has a
/// target with seeds, its seeds pass through it, and every input a fuzz run ever crashed on
/// (Regressions/TARGET/*) now passes without an exception.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> TargetNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var target in AllTargets.Singles.Append(AllTargets.Multiplex))
            {
                data.Add(target.Name);
            }

            return data;
        }
    }

    public static TheoryData<string, string> RegressionInputs
    {
        get
        {
            var data = new TheoryData<string, string>();
            var root = Path.Combine(AppContext.BaseDirectory, "Regressions");
            foreach (var directory in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
            {
                foreach (var file in Directory.GetFiles(directory).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
                {
                    data.Add(Path.GetFileName(directory), Path.GetFileName(file));
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Every_seed_passes_through_its_target(string name)
    {
        var target = AllTargets.Find(name);
        Assert.NotNull(target);
        Assert.NotEmpty(target.Seeds);
        foreach (var seed in target.Seeds)
        {
            target.Run(seed);
        }
    }

    [Fact]
    public void Every_decoder_family_has_targets()
    {
        var names = AllTargets.Singles.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        string[] required =
        [
            "Crypto.IdentityKey", "Crypto.PreKeyBundle", "Crypto.InitialMessageHeader", "Crypto.RatchetHeader",
            "Crypto.PreKeyMessageEnvelope", "Crypto.RatchetMessageEnvelope", "Crypto.DoubleRatchetState", "Crypto.SessionRecord",
            "Crypto.SessionDecrypt", "Crypto.AttachmentHeader", "Wire.ServerFrame", "Wire.ClientFrame",
            "Rest.PreKeyBundleResponse", "Rest.LoginStartResponse", "Client.FilePointer", "Client.MessageContent",
        ];
        Assert.All(required, r => Assert.Contains(r, names));
        Assert.True(AllTargets.Singles.Count <= byte.MaxValue, "the multiplexer selects a target with one byte");
    }

    [Theory]
    [MemberData(nameof(RegressionInputs))]
    public void Inputs_that_once_crashed_now_pass(string targetName, string file)
    {
        var target = AllTargets.Find(targetName);
        Assert.NotNull(target);
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Regressions", targetName, file));
        target.Run(input);
        target.Run(input);
    }
}
