using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Storage;

/// <summary>Configuration section <c>Storage</c>: which database engine and where.</summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Storage";

    /// <summary>The SQLite file name used inside the data directory when no connection string is set.</summary>
    public const string DefaultSqliteFileName = "parley.db";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// The connection string. For SQLite it defaults to <c>parley.db</c> in the data directory; for
    /// PostgreSQL it is required (an Npgsql connection string).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Parses <see cref="Provider"/>; throws for an unknown name so a typo stops start-up.</summary>
    public DatabaseKind ParseKind() => Provider.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => DatabaseKind.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseKind.Postgres,
        _ => throw new InvalidOperationException(
            "Storage:Provider must be 'sqlite' or 'postgres'."),
    };

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var provider = Provider.Trim().ToUpperInvariant();
        if (provider is not ("SQLITE" or "POSTGRES" or "POSTGRESQL" or "NPGSQL"))
        {
            yield return new ValidationResult("must be 'sqlite' or 'postgres'.", [nameof(Provider)]);
        }
        else if (provider != "SQLITE" && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("is required for PostgreSQL.", [nameof(ConnectionString)]);
        }
    }
}
