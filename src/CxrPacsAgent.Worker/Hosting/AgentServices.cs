using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Pipeline.Stages;
using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Registers the service's parts: options (validated at start), state, intake, pipeline, outbox, observability.</summary>
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
        AddOptions<RetrievalOptions>(services, configuration, RetrievalOptions.Section);
        services.AddOptions<DestinationsOptions>()
            .Configure(o => configuration.GetSection(DestinationsOptions.Section).Bind(o.Items, b => b.ErrorOnUnknownConfiguration = true))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DestinationsOptions>, OptionsValidator<DestinationsOptions>>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentPaths>();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<AgentReadiness>();

        // State: the embedded SQLite store; a shared PostgreSQL store registers the same interfaces.
        services.AddSingleton<IStateStore>(sp => new SqliteStateStore(sp.GetRequiredService<AgentPaths>().Database,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<IStateStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IStateStore>());
        services.AddSingleton<IStateQueries>(sp => sp.GetRequiredService<IStateStore>());

        // Intake.
        services.AddSingleton<Spool>();
        services.AddSingleton<IntakeFilter>();
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

        // Hosted services start in this order and stop in the reverse one.
        services.AddSingleton<StartupService>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupService>());
        services.AddSingleton<PipelineService>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineService>());
        services.AddSingleton<DicomListenerService>();
        services.AddHostedService(sp => sp.GetRequiredService<DicomListenerService>());
        services.AddAgentJobs();

        services.AddSingleton<StatusReport>();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: [ReadinessCheck.Tag]);
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

    private static void AddOptions<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatedOptions
    {
        services.AddOptions<T>()
            .Bind(configuration.GetSection(section), b => b.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, OptionsValidator<T>>();
    }
}
