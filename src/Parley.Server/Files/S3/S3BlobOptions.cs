namespace Parley.Server.Files.S3;

/// <summary>
/// Where committed blobs go when they live in S3-protocol object storage, bound from
/// <c>Parley:Files:S3</c>. An empty <see cref="Bucket"/> keeps the local directory store.
/// </summary>
public sealed class S3BlobOptions
{
    /// <summary>Region used for request signing when none is configured.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>Key prefix under which blobs are stored in the bucket.</summary>
    public const string DefaultKeyPrefix = "blobs/";

    /// <summary>Endpoint URL, e.g. <c>https://s3.eu-central-1.amazonaws.com</c> or a MinIO/Garage node.</summary>
    public string ServiceUrl { get; set; } = "";

    /// <summary>Bucket holding the blobs (it must exist; the server never creates buckets).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Access key id.</summary>
    public string AccessKey { get; set; } = "";

    /// <summary>Secret access key (supply it through the environment, not a committed file).</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Signing region.</summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most self-hosted servers need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Prefix of every object key.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>True when a bucket is configured, i.e. S3 is the blob store.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Bucket);

    /// <summary>Throws when S3 is enabled but incompletely configured; called once at start-up.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException("Parley:Files:S3:ServiceUrl must be an absolute http(s) URL when a bucket is configured.");
        }

        if (string.IsNullOrEmpty(AccessKey) || string.IsNullOrEmpty(SecretKey))
        {
            throw new InvalidOperationException("Parley:Files:S3:AccessKey and SecretKey are required when a bucket is configured.");
        }
    }
}
