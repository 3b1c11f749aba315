using Parley.Server.Storage;

namespace Parley.Server.Keys;

/// <summary>
/// Schema of component <c>keys</c>. Uploaded keys are stored as the exact bytes the client sent
/// (after verification); identity keys are unique across accounts on both halves. Everything
/// cascades when the account is deleted.
/// </summary>
public sealed class KeyMigrations : IMigrationSource
{
    /// <inheritdoc />
    public string Component => "keys";

    /// <inheritdoc />
    public IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "identity keys, signed prekeys, one-time and ML-KEM prekeys, suite lists",
            Sqlite: Schema("INTEGER", "BLOB"),
            Postgres: Schema("BIGINT", "BYTEA")),
    ];

    private static string Schema(string id, string blob) => $"""
        CREATE TABLE identity_keys (
            account_id {id} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            signing_key {blob} NOT NULL UNIQUE,
            agreement_key {blob} NOT NULL UNIQUE,
            data {blob} NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE signed_prekeys (
            account_id {id} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            key_id BIGINT NOT NULL,
            data {blob} NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE kem_last_resort_prekeys (
            account_id {id} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            key_id BIGINT NOT NULL,
            data {blob} NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE cipher_suites (
            account_id {id} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            data {blob} NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE one_time_prekeys (
            account_id {id} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            key_id BIGINT NOT NULL,
            data {blob} NOT NULL,
            PRIMARY KEY (account_id, key_id));
        CREATE TABLE kem_prekeys (
            account_id {id} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            key_id BIGINT NOT NULL,
            data {blob} NOT NULL,
            PRIMARY KEY (account_id, key_id));
        """;
}
