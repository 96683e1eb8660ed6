import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.FinancialService`: forecasts per project and month, and the financial tab.
struct FinancialServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(FinancialService.setForecast, requires: .financialFigures.and(.customers(.edit, record: { .project(id: $0.projectId) }))) { request, context in
            let caller = try Caller.of(context)
            return Forecast(
                try store.answering(context).setForecast(
                    projectID: request.projectId, month: request.month, revenue: request.revenue, cost: request.cost,
                    billing: request.billing, hours: request.hours, by: caller.author))
        }
        router.register(FinancialService.removeForecast, requires: .financialFigures.and(.customers(.edit, record: { .project(id: $0.projectId) }))) { request, context in
            let caller = try Caller.of(context)
            try store.answering(context).removeForecast(projectID: request.projectId, month: request.month, by: caller.author)
            return ForecastList(forecasts: try store.forecasts(projectID: request.projectId).map(Forecast.init))
        }
        router.register(FinancialService.listForecasts, requires: .financialFigures.and(.customers(.read, record: { .project(id: $0.id) }))) { request, context in
            _ = try Caller.of(context)
            return ForecastList(forecasts: try store.forecasts(projectID: request.id).map(Forecast.init))
        }
        router.register(FinancialService.getFinancialSummary, requires: .financialFigures.and(.customers(.read, customer: \.customerId))) { request, context in
            _ = try Caller.of(context)
            return CustomerAPI.FinancialTab(
                try store.financialSummary(customerID: request.customerId, from: request.from, to: request.to))
        }
    }
}
