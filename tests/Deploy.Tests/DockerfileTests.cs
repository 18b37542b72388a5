using System.Xml.Linq;
using InventoryOrleans.Deploy.Tests.Docker;

namespace InventoryOrleans.Deploy.Tests;

/// <summary>
/// The images' Dockerfiles, read statically (no Docker engine here to build them): an SDK stage that publishes the
/// project, an ASP.NET runtime stage that runs it as a non-root user with a HEALTHCHECK on /healthz, the container
/// defaults, and nothing that would start the embedded DevBroker or Garnet.
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Images => ["Silo", "Api"];

    [Theory]
    [MemberData(nameof(Images))]
    public void Stages_Dockerfile_BuildOnTheSdkAndRunOnTheAspNetRuntime(string project)
    {
        var dockerfile = Load(project);

        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.Stages[0].Image);
        Assert.Equal("build", dockerfile.Stages[0].Name);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile.Final.Image);
        Assert.Contains(dockerfile.Final.All("COPY"), c => c.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Publish_Dockerfile_PublishesItsOwnProjectAndRunsItsAssembly(string project)
    {
        var dockerfile = Load(project);
        var csproj = $"{project}/{project}.csproj";

        Assert.True(File.Exists(Repository.PathOf(csproj)), csproj);
        Assert.Contains(dockerfile.Stages[0].All("RUN"), r => r.Arguments.StartsWith($"dotnet publish {csproj} -c Release -o /app ", StringComparison.Ordinal));

        // The assembly name of every project is InventoryOrleans.<folder> (Directory.Build.props).
        Assert.Equal($"[\"dotnet\", \"InventoryOrleans.{project}.dll\"]", dockerfile.Final.Last("ENTRYPOINT")?.Arguments);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void User_Dockerfile_RunsAsTheBaseImagesNonRootUser(string project)
    {
        var user = Load(project).Final.Last("USER");

        Assert.NotNull(user);
        Assert.Equal("$APP_UID", user.Arguments);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Healthcheck_Dockerfile_AsksHealthzOnTheRestPort(string project)
    {
        var healthcheck = Load(project).Final.Last("HEALTHCHECK");

        Assert.NotNull(healthcheck);
        Assert.Contains(" CMD ", healthcheck.Arguments, StringComparison.Ordinal);
        Assert.Contains("GET /healthz ", healthcheck.Arguments, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS", healthcheck.Arguments, StringComparison.Ordinal);
        foreach (var option in new[] { "--interval=", "--timeout=", "--start-period=", "--retries=" })
        {
            Assert.Contains(option, healthcheck.Arguments, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Environment_Dockerfile_ListensOnEveryInterfaceOnTheExposedPorts(string project)
    {
        var final = Load(project).Final;
        var env = final.Environment;
        var exposed = final.All("EXPOSE").SelectMany(e => Dockerfile.Words(e.Arguments)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("http://0.0.0.0:5000", env["ASPNETCORE_URLS"]);
        Assert.Equal("http://0.0.0.0:5001", env["Api__GrpcUrl"]);

        // The base image's ASPNETCORE_HTTP_PORTS=8080 would only earn a warning beside ASPNETCORE_URLS.
        Assert.Equal("", env["ASPNETCORE_HTTP_PORTS"]);
        Assert.Contains("5000", exposed);
        Assert.Contains("5001", exposed);
    }

    [Fact]
    public void Environment_SiloDockerfile_ExposesTheOrleansPortsItConfigures()
    {
        var final = Load("Silo").Final;
        var exposed = final.All("EXPOSE").SelectMany(e => Dockerfile.Words(e.Arguments)).ToList();

        Assert.Equal(["5000", "5001", final.Environment["Orleans__SiloPort"], final.Environment["Orleans__GatewayPort"]], exposed);
        Assert.Equal(["11111", "30000"], exposed[2..]);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Embedded_Dockerfile_ConfiguresNoDevBrokerAndNoGarnet(string project)
    {
        var dockerfile = Load(project);

        // Kafka and Redis always come from the deployment's configuration; these sections only matter when they do not.
        Assert.DoesNotContain("Garnet__", dockerfile.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("DevBroker__", dockerfile.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(dockerfile.Final.Environment.Keys, k => k.StartsWith("Kafka__", StringComparison.Ordinal) || k.StartsWith("Redis__", StringComparison.Ordinal));
    }

    [Fact]
    public void Embedded_SiloImage_IsBuiltWithoutTheEmbeddedServers()
    {
        var publish = Assert.Single(Load("Silo").Stages[0].All("RUN"), r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal));
        Assert.EndsWith(" -p:EmbeddedDefaults=false", publish.Arguments, StringComparison.Ordinal);

        // What that property leaves out: the DevBroker project, Garnet and the pins of its dependencies, and the code
        // that starts them.
        var project = XDocument.Load(Repository.PathOf("Silo/Silo.csproj"));
        const string embeddedOnly = "'$(EmbeddedDefaults)' == 'true'";
        var references = project.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference").ToList();
        string[] embedded = ["..\\DevBroker\\DevBroker.csproj", "Microsoft.Garnet", "KeraLua", "Microsoft.IdentityModel.Protocols.OpenIdConnect", "Microsoft.IdentityModel.Validators", "System.IdentityModel.Tokens.Jwt"];
        foreach (var include in embedded)
        {
            var reference = Assert.Single(references, r => r.Attribute("Include")?.Value == include);
            Assert.Equal(embeddedOnly, reference.Parent?.Attribute("Condition")?.Value);
        }

        Assert.All(references.Where(r => !embedded.Contains(r.Attribute("Include")?.Value)), r => Assert.Null(r.Parent?.Attribute("Condition")));
        var removed = project.Descendants("Compile").Single(c => c.Attribute("Remove") is not null);
        Assert.Equal("Embedded/**", removed.Attribute("Remove")?.Value);
        Assert.Equal("'$(EmbeddedDefaults)' != 'true'", removed.Parent?.Attribute("Condition")?.Value);
        var embeddedFolder = $"Embedded{Path.DirectorySeparatorChar}";
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("Silo"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.PathOf("Silo"), f))
            .Where(f => !f.StartsWith($"obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.StartsWith($"bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(Repository.PathOf($"Silo/{file}"));
            if (text.Contains("using InventoryOrleans.DevBroker", StringComparison.Ordinal) || text.Contains("using Garnet", StringComparison.Ordinal))
            {
                Assert.True(file.StartsWith(embeddedFolder, StringComparison.Ordinal), $"Silo/{file} uses the DevBroker or Garnet outside Embedded/, so a build without the embedded defaults would not compile it");
            }
        }

        // The Api image never had them.
        Assert.DoesNotContain("DevBroker", ProjectReferences.FoldersOf("Api/Api.csproj"));
    }

    private static Dockerfile Load(string project) => Dockerfile.Load(Repository.PathOf($"{project}/Dockerfile"));
}
