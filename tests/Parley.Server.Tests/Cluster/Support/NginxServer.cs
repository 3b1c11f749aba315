using System.Globalization;
using System.Text;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Cluster.Support;

/// <summary>
/// A private nginx (Debian's package, installed by .ci/run) in front of the test nodes, on a free port
/// on 127.0.0.1, with the proxying rules of deploy/nginx.conf (WebSocket upgrade, retry of REST on the
/// next node, tus upload requests hashed by URI) but plain HTTP: TLS termination is not what these
/// tests are about.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly ExternalProcess process;
    private readonly TempDirectory directory;

    private NginxServer(ExternalProcess process, TempDirectory directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    /// <summary>The port clients use.</summary>
    public int Port { get; }

    /// <summary>Starts nginx balancing over <paramref name="nodePorts"/>.</summary>
    public static async Task<NginxServer> StartAsync(IReadOnlyList<int> nodePorts)
    {
        const string binary = "/usr/sbin/nginx";
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: install nginx (.ci/run does this).");
        }

        var directory = new TempDirectory();
        var port = FreePort.Next();
        var config = Path.Combine(directory.Path, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(directory.Path, port, nodePorts));
        var process = await ExternalProcess.StartAsync(binary,
            ["-p", directory.Path, "-c", config, "-g", "daemon off; master_process on; worker_processes 1;"],
            line => line.Contains("start worker process", StringComparison.Ordinal));
        return new NginxServer(process, directory, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        directory.Dispose();
    }

    private static string Config(string root, int port, IReadOnlyList<int> nodePorts)
    {
        var servers = new StringBuilder();
        foreach (var node in nodePorts)
        {
            servers.Append(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{node} max_fails=1 fail_timeout=2s;\n");
        }

        return $$"""
            pid {{root}}/nginx.pid;
            error_log stderr notice;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{root}}/body;
                proxy_temp_path {{root}}/proxy;
                fastcgi_temp_path {{root}}/fastcgi;
                uwsgi_temp_path {{root}}/uwsgi;
                scgi_temp_path {{root}}/scgi;
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                upstream parley { least_conn;
            {{servers}}    }
                upstream parley_uploads { hash $request_uri consistent;
            {{servers}}    }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 0;
                    proxy_http_version 1.1;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_connect_timeout 2s;
                    proxy_next_upstream error timeout http_502 http_503;
                    proxy_next_upstream_tries 3;
                    location = /v1/ws {
                        proxy_pass http://parley;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_read_timeout 1h;
                        proxy_send_timeout 1h;
                    }
                    location ~ ^/v1/files/[0-9a-f]+$ {
                        proxy_pass http://parley_uploads;
                        proxy_request_buffering off;
                        proxy_buffering off;
                        proxy_next_upstream error timeout;
                    }
                    location / {
                        proxy_pass http://parley;
                        proxy_set_header Connection "";
                    }
                }
            }
            """;
    }
}
