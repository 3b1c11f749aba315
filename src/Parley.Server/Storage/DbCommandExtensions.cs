using System.Data.Common;

namespace Parley.Server.Storage;

/// <summary>Small helpers that keep the stores' ADO.NET code short and engine-neutral.</summary>
public static class DbCommandExtensions
{
    /// <summary>Creates a command on the connection, enlisted in the transaction when one is given.</summary>
    public static DbCommand CreateCommand(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is always a constant from the stores; values go in parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Adds a parameter named <paramref name="name"/> (without the <c>@</c>); null becomes SQL NULL.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Executes the command and returns the number of affected rows.</summary>
    public static Task<int> ExecuteAsync(this DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads a 64-bit integer column (SQLite and PostgreSQL both return <see cref="long"/> for BIGINT/INTEGER).</summary>
    public static long GetInt64Value(this DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a BLOB/BYTEA column.</summary>
    public static byte[] GetBytes(this DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return (byte[])reader.GetValue(ordinal);
    }

    /// <summary>Reads a nullable BLOB/BYTEA column.</summary>
    public static byte[]? GetBytesOrNull(this DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);
    }
}
