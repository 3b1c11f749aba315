namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>Every wait in these tests has one of these bounds: a hang is a failure, not a stuck CI.</summary>
internal static class TestTimeouts
{
    /// <summary>Starting the server process until it prints its listening line.</summary>
    public static readonly TimeSpan ServerStart = TimeSpan.FromSeconds(90);

    /// <summary>One run of the <c>parley</c> executable.</summary>
    public static readonly TimeSpan Command = TimeSpan.FromSeconds(90);
}
