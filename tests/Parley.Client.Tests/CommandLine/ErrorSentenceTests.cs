using Parley.Cli.Output;
using Parley.Client.Errors;

namespace Parley.Client.Tests.CommandLine;

/// <summary>A refusal that says how long to wait is repeated to the user in words.</summary>
public sealed class ErrorSentenceTests
{
    [Theory]
    [InlineData(0.2, "1 second")]
    [InlineData(1, "1 second")]
    [InlineData(41.3, "42 seconds")]
    [InlineData(119, "119 seconds")]
    [InlineData(120, "2 minutes")]
    [InlineData(900, "15 minutes")]
    [InlineData(901, "16 minutes")]
    public void Waits_are_whole_seconds_up_to_two_minutes_then_whole_minutes_rounded_up(double seconds, string expected) =>
        Assert.Equal(expected, ErrorSentences.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_refusal_with_retry_after_says_when_and_one_without_says_later()
    {
        var timed = new ParleyClientException(ClientErrorKind.Refused) { RetryAfter = TimeSpan.FromSeconds(30) };
        Assert.Equal("The server refused the request for now (too many attempts); try again in 30 seconds.", ErrorSentences.For(timed));
        Assert.Equal(ErrorSentences.For(ClientErrorKind.Refused), ErrorSentences.For(new ParleyClientException(ClientErrorKind.Refused)));
        Assert.Contains("try again later", ErrorSentences.For(ClientErrorKind.Refused), StringComparison.Ordinal);

        var unreachable = new ParleyClientException(ClientErrorKind.ServerUnreachable) { RetryAfter = TimeSpan.FromMinutes(5) };
        Assert.EndsWith("; try again in 5 minutes.", ErrorSentences.For(unreachable), StringComparison.Ordinal);
    }
}
