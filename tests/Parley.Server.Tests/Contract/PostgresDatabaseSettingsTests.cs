using Parley.Server.Storage.Postgres;

namespace Parley.Server.Tests.Contract;

/// <summary>The PostgreSQL data source's defaults (no server needed: nothing is opened).</summary>
public sealed class PostgresDatabaseSettingsTests
{
    [Fact]
    public void Statements_are_kept_prepared_unless_the_connection_string_chooses()
    {
        using var defaulted = new PostgresDatabase("Host=127.0.0.1;Port=5432;Username=postgres;Database=parley");
        Assert.Equal(PostgresDatabase.DefaultMaxAutoPrepare, defaulted.MaxAutoPrepare);
        using var chosen = new PostgresDatabase("Host=127.0.0.1;Port=5432;Username=postgres;Database=parley;Max Auto Prepare=8");
        Assert.Equal(8, chosen.MaxAutoPrepare);
    }
}
