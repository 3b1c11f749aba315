using Parley.Server.Hosting;
using System.ComponentModel.DataAnnotations;
namespace Parley.Server.Files;

/// <summary>
/// Limits and locations of the file feature, bound from the <c>Parley:Files</c> configuration section.
/// Every limit has a named default here so tests can assert at the limit and one past it.
/// </summary>
public sealed class FilesOptions : IValidatableObject
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Parley:Files";

    /// <summary>Default largest blob accepted: 2 GiB.</summary>
    public const long DefaultMaxBlobBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Default total bytes one account may hold at once (complete and partial blobs): 10 GiB.</summary>
    public const long DefaultQuotaBytesPerAccount = 10L * 1024 * 1024 * 1024;

    /// <summary>Default lifetime of a complete blob: 30 days after its upload completed.</summary>
    public static readonly TimeSpan DefaultBlobTtl = TimeSpan.FromDays(30);

    /// <summary>Default lifetime of an unfinished upload since its last received byte: 24 hours.</summary>
    public static readonly TimeSpan DefaultPartialUploadTtl = TimeSpan.FromHours(24);

    /// <summary>Default period of the background clean-up.</summary>
    public static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromMinutes(10);

    /// <summary>Largest blob (declared Upload-Length) accepted.</summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = OptionRules.Between)]
    public long MaxBlobBytes { get; set; } = DefaultMaxBlobBytes;

    /// <summary>Per-account quota over the declared lengths of all the account's live blobs.</summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = OptionRules.Between)]
    public long QuotaBytesPerAccount { get; set; } = DefaultQuotaBytesPerAccount;

    /// <summary>How long a complete blob stays downloadable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan BlobTtl { get; set; } = DefaultBlobTtl;

    /// <summary>How long an unfinished upload survives without progress before it is removed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan PartialUploadTtl { get; set; } = DefaultPartialUploadTtl;

    /// <summary>How often the background clean-up runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan CleanupInterval { get; set; } = DefaultCleanupInterval;

    /// <summary>
    /// Directory of the local blob store. Empty means <c>blobs/</c> under the server's data directory.
    /// </summary>
    public string BlobDirectory { get; set; } = "";

    /// <summary>
    /// Object storage for committed blobs (<c>Parley:Files:S3</c>). With a bucket set, uploads in
    /// progress stay in <see cref="BlobDirectory"/> on the receiving node and complete blobs go to S3.
    /// </summary>
    public S3.S3BlobOptions S3 { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        try
        {
            S3.Validate();
        }
        catch (InvalidOperationException exception)
        {
            problem = exception.Message; // names its own keys (Parley:Files:S3:…)
        }
        if (problem is not null)
        {
            yield return new ValidationResult(problem);
        }
    }
}
