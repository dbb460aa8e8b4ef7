using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Tests.Support;
using Xunit;

namespace RealEstateOps.Engine.Tests.ArgoCd;

public sealed class ArgoResolverTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ActiveContext Context(string? url, string? tokenFile)
    {
        var stored = new OpsContext { Name = "t", ArgoCdTokenFile = tokenFile };
        if (url is not null) stored.ServiceUrls["argocd"] = url;
        return new ActiveContext(new Resolved<string>("t", "test"), stored, stored);
    }

    private string ConfigDir() => Path.GetDirectoryName(Write(Path.Combine("argocd-config", "config"), """
        contexts:
        - name: prod
          server: argocd.prod.example:443
          user: prod-user
        - name: local
          server: localhost:8080
          user: local-user
        current-context: local
        servers:
        - grpc-web-root-path: ""
          server: argocd.prod.example:443
        - plain-text: true
          server: localhost:8080
        users:
        - auth-token: config-token-local
          name: local-user
        - auth-token: config-token-prod
          name: prod-user
        """))!;

    [Fact]
    public void ARGOCD_SERVER_and_ARGOCD_AUTH_TOKEN_come_before_the_config_file_and_the_context()
    {
        var env = new Dictionary<string, string?>
        {
            ["ARGOCD_SERVER"] = "argocd.env.example", ["ARGOCD_AUTH_TOKEN"] = "env-token", ["ARGOCD_CONFIG_DIR"] = ConfigDir(),
        };
        var target = ArgoResolver.Resolve(Context("http://context.example", Write("ctx-token", "ctx-token\n")), null, null, false, n => env.GetValueOrDefault(n), _dir.Path);
        Assert.Equal("https://argocd.env.example/", target.BaseUri.ToString());
        Assert.Equal("env-token", target.Token);
        Assert.Equal("environment ARGOCD_AUTH_TOKEN", target.TokenSource);
    }

    [Fact]
    public void Without_the_environment_the_config_files_current_context_wins_over_our_context_and_plain_text_means_http()
    {
        var env = new Dictionary<string, string?> { ["ARGOCD_CONFIG_DIR"] = ConfigDir() };
        var target = ArgoResolver.Resolve(Context("http://context.example", Write("ctx-token", "ctx-token\n")), null, null, false, n => env.GetValueOrDefault(n), _dir.Path);
        Assert.Equal("http://localhost:8080/", target.BaseUri.ToString());
        Assert.Equal("config-token-local", target.Token);
        Assert.Contains("user 'local-user'", target.TokenSource);
        Assert.DoesNotContain("config-token-local", string.Join("\n", target.Describe()) + target);
    }

    [Fact]
    public void Without_environment_or_config_file_the_context_gives_server_and_token_file()
    {
        var tokenFile = Write("ctx-token", "ctx-token\n");
        var target = ArgoResolver.Resolve(Context("http://context.example:8080", tokenFile), null, null, false, _ => null, Path.Combine(_dir.Path, "empty-home"));
        Assert.Equal("http://context.example:8080/", target.BaseUri.ToString());
        Assert.Equal("ctx-token", target.Token);
        Assert.Contains(tokenFile, target.TokenSource);
    }

    [Fact]
    public void Server_and_TokenFile_parameters_come_first_and_nothing_set_is_ArgoCdServerNotSet()
    {
        var env = new Dictionary<string, string?> { ["ARGOCD_SERVER"] = "argocd.env.example", ["ARGOCD_AUTH_TOKEN"] = "env-token" };
        var target = ArgoResolver.Resolve(Context(null, null), "https://param.example", Write("param-token", "param-token"), true, n => env.GetValueOrDefault(n), _dir.Path);
        Assert.Equal("https://param.example/", target.BaseUri.ToString());
        Assert.Equal("param-token", target.Token);
        Assert.True(target.Insecure);

        var ex = Assert.Throws<OpsException>(() => ArgoResolver.Resolve(Context(null, null), null, null, false, _ => null, Path.Combine(_dir.Path, "empty-home")));
        Assert.Equal("ArgoCdServerNotSet", ex.ErrorId);
        var noToken = Assert.Throws<OpsException>(() => ArgoResolver.Resolve(Context("http://x.example", null), null, null, false, _ => null, Path.Combine(_dir.Path, "empty-home")));
        Assert.Equal("ArgoCdTokenNotSet", noToken.ErrorId);
    }

    [Fact]
    public void The_config_directory_is_ARGOCD_CONFIG_DIR_else_the_legacy_dot_argocd_when_it_exists_else_XDG_or_dot_config()
    {
        var home = Path.Combine(_dir.Path, "home");
        Directory.CreateDirectory(home);
        Assert.Equal("/explicit", ArgoCliConfig.DefaultDirectory(n => n == "ARGOCD_CONFIG_DIR" ? "/explicit" : null, home));
        Assert.Equal(Path.Combine(home, ".config", "argocd"), ArgoCliConfig.DefaultDirectory(_ => null, home));
        Assert.Equal(Path.Combine("/xdg", "argocd"), ArgoCliConfig.DefaultDirectory(n => n == "XDG_CONFIG_HOME" ? "/xdg" : null, home));
        Directory.CreateDirectory(Path.Combine(home, ".argocd"));
        Assert.Equal(Path.Combine(home, ".argocd"), ArgoCliConfig.DefaultDirectory(n => n == "XDG_CONFIG_HOME" ? "/xdg" : null, home));
    }

    [Fact]
    public void A_config_file_whose_current_context_is_missing_is_ArgoCdConfigInvalid()
    {
        var dir = Path.GetDirectoryName(Write(Path.Combine("bad", "config"), "current-context: nowhere\ncontexts: []\n"))!;
        var ex = Assert.Throws<OpsException>(() => ArgoResolver.Resolve(Context(null, null), null, null, false, n => n == "ARGOCD_CONFIG_DIR" ? dir : null, _dir.Path));
        Assert.Equal("ArgoCdConfigInvalid", ex.ErrorId);
    }
}
