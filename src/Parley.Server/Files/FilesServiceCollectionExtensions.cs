using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Files;

/// <summary>Registration of the file feature: <c>services.AddFiles()</c> and <c>app.MapFiles()</c>.</summary>
public static class FilesServiceCollectionExtensions
{
    /// <summary>Blob directory used when none is configured, under the data directory.</summary>
    public const string DefaultBlobDirectoryName = "blobs";

    /// <summary>Adds options, stores, the service, migrations and the clean-up service.</summary>
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddValidatedOptions<FilesOptions>(FilesOptions.SectionName);
        services.AddSingleton<IMigrationSource, FilesMigrations>();
        services.AddSingleton<IFileStore, SqlFileStore>();
        services.AddSingleton<IBlobStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<FilesOptions>>().Value;
            var root = string.IsNullOrWhiteSpace(options.BlobDirectory)
                ? Path.Combine(provider.GetRequiredService<ServerDataDirectory>().Path, DefaultBlobDirectoryName)
                : options.BlobDirectory;
            return options.S3.Enabled
                ? new S3.S3BlobStore(options.S3, root, provider.GetRequiredService<ILogger<S3.S3BlobStore>>())
                : new LocalBlobStore(root);
        });
        services.AddSingleton<FileService>();
        services.AddSingleton<Accounts.IAccountDeletionListener, FileAccountDeletionListener>();
        services.AddHostedService<FileCleanupService>();
        return services;
    }
}
