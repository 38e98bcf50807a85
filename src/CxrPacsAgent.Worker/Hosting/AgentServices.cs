using CxrPacsAgent.Worker.Admin;
using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Pipeline.Stages;
using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Registers the service's parts: options (validated at start), state, intake, pipeline, outbox, observability, the admin page.</summary>
public static class AgentServices
{
    public static IServiceCollection AddCxrAgent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptions<DicomOptions>(services, configuration, DicomOptions.Section);
        AddOptions<StorageOptions>(services, configuration, StorageOptions.Section);
        AddOptions<ResultsOptions>(services, configuration, ResultsOptions.Section);
        AddOptions<InferenceOptions>(services, configuration, InferenceOptions.Section);
        AddOptions<PipelineOptions>(services, configuration, PipelineOptions.Section);
        AddOptions<OutboxOptions>(services, configuration, OutboxOptions.Section);
        AddOptions<HousekeepingOptions>(services, configuration, HousekeepingOptions.Section);
        AddOptions<HttpOptions>(services, configuration, HttpOptions.Section);
        AddOptions<StateOptions>(services, configuration, StateOptions.Section);
        AddOptions<RetrievalOptions>(services, configuration, RetrievalOptions.Section);
        services.AddOptions<RetrievalOptions>().Validate<IOptions<StateOptions>>((retrieval, state) => !retrieval.UsesPgvector || state.Value.IsPostgreSql,
            "Retrieval:Search: pgvector searches inside the shared PostgreSQL database; it needs State:Provider = postgresql");
        AddOptions<AdminOptions>(services, configuration, AdminOptions.Section);
        services.AddOptions<DestinationsOptions>()
            .Configure(o => configuration.GetSection(DestinationsOptions.Section).Bind(o.Items, b => b.ErrorOnUnknownConfiguration = true))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DestinationsOptions>, OptionsValidator<DestinationsOptions>>();

        // The host waits for the drain (Pipeline:DrainTimeout), then for the sender and the leases to be let go.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = DrainTimeout(configuration) + StopMargin);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentPaths>();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<AgentReadiness>();

        // State: the embedded SQLite store, or the PostgreSQL store several agents share (State:Provider).
        services.AddSingleton<IStateStore>(StateProvider.Create);
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<IStateStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IStateStore>());
        services.AddSingleton<IStateQueries>(sp => sp.GetRequiredService<IStateStore>());
        services.AddSingleton<IAdminStore>(sp => sp.GetRequiredService<IStateStore>());

        // Intake.
        services.AddSingleton<Spool>();
        services.AddSingleton<IntakeFilter>();
        services.AddSingleton<AccessionKeys>();
        services.AddSingleton<SpoolStoreHandler>();
        services.AddSingleton<JobQueue>();

        // Pipeline: the stages, in the order Pipeline.cs gives them.
        services.AddSingleton<ModelHost>();
        services.AddSingleton(_ => new ComputeScheduler(Environment.ProcessorCount));
        services.AddSingleton<FilterStage>();
        services.AddSingleton<PreprocessStage>();
        services.AddSingleton<InferStage>();
        services.AddSingleton<ReportStage>();
        services.AddSingleton<OutboxStage>();
        services.AddSingleton<ResultFolders>();
        services.AddSingleton<JsonResultWriter>();
        // The SR and SC (Worker/Results over Dicom/Reports), sent to every destination.
        services.AddSingleton<IResultWriter, DicomResultWriter>();
        // Similar studies and the k-NN vote (Worker/Retrieval over CxrPacsAgent.Retrieval), unless turned off.
        if (configuration.GetValue($"{RetrievalOptions.Section}:{nameof(RetrievalOptions.Enabled)}", true))
        {
            services.AddSimilarStudyIndex<SimilarStudyLibrary>();
        }
        services.AddSingleton<Pipeline.Pipeline>();
        services.AddSingleton<OutboxSignal>();

        // Outbox and the periodic jobs.
        services.AddSingleton<DestinationSender>();
        services.AddSingleton<DeadLetterFolder>();
        services.AddSingleton<OutboxSender>();

        // Hosted services start in this order and stop in the reverse one: at stop the listener closes first, the
        // pipeline drains while the sender (Quartz) still delivers and the heartbeat still renews the leases, and the
        // leases of what is left are released last.
        services.AddSingleton<StartupService>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupService>());
        if (IsShared(configuration))
        {
            services.AddSingleton(sp => (IJobLeases)sp.GetRequiredService<IStateStore>());
            services.AddSingleton<LeaseService>();
            services.AddHostedService(sp => sp.GetRequiredService<LeaseService>());
            services.AddHousekeepingLeader();
        }
        services.AddAgentJobs();
        services.AddSingleton<PipelineDrain>();
        services.AddSingleton<PipelineService>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineService>());
        services.AddSingleton<DicomListenerService>();
        services.AddHostedService(sp => sp.GetRequiredService<DicomListenerService>());

        services.AddSingleton<StatusReport>();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: [ReadinessCheck.Tag]);

        // The admin page (off until Admin:PasswordHash is set).
        services.AddAdminAuthentication();
        services.AddSingleton<OverviewReport>();
        services.AddSingleton<PatientData>();
        services.AddSingleton<StudyViews>();
        services.AddSingleton<AdminActions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ConfigurationView>();
        return services;
    }

    /// <summary>
    /// Retrieval plugs in here: registering an <see cref="ISimilarStudyIndex"/> adds the retrieve stage to the pipeline.
    /// </summary>
    public static IServiceCollection AddSimilarStudyIndex<TIndex>(this IServiceCollection services)
        where TIndex : class, ISimilarStudyIndex
    {
        services.AddSingleton<ISimilarStudyIndex, TIndex>();
        services.AddSingleton<RetrieveStage>();
        services.AddIndexSnapshotJob();
        return services;
    }

    /// <summary>What the host allows for stopping beyond the drain: the sender's round in hand, releasing the leases.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    /// <summary><c>Pipeline:DrainTimeout</c> as configured; the default when it does not parse (start-up reports that).</summary>
    private static TimeSpan DrainTimeout(IConfiguration configuration)
    {
        var options = new PipelineOptions();
        try
        {
            configuration.GetSection(PipelineOptions.Section).Bind(options);
        }
        catch (InvalidOperationException)
        {
            return new PipelineOptions().DrainTimeout;
        }
        return options.DrainTimeout <= PipelineOptions.MaxDrainTimeout && options.DrainTimeout >= TimeSpan.Zero
            ? options.DrainTimeout : new PipelineOptions().DrainTimeout;
    }

    /// <summary>Several agents share the state (PostgreSQL): claims, heartbeats and a housekeeping leader.</summary>
    private static bool IsShared(IConfiguration configuration) =>
        new StateOptions { Provider = configuration[$"{StateOptions.Section}:{nameof(StateOptions.Provider)}"] ?? StateOptions.Sqlite }.IsPostgreSql;

    private static void AddOptions<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatedOptions
    {
        services.AddOptions<T>()
            .Bind(configuration.GetSection(section), b => b.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, OptionsValidator<T>>();
    }
}
