import CustomerAPI
import RPC

/// Serves `customer.v1.FinancialService`: forecasts per project and month, and the financial tab.
struct FinancialServiceHandler: RPCService {
    let store: Store

    func register(with router: inout Router) {
        router.register(FinancialService.setForecast) { request, context in
            let caller = try Caller.of(context)
            return CustomerAPI.Forecast(
                try store.setForecast(
                    projectID: request.projectId, month: request.month, revenue: request.revenue, cost: request.cost,
                    billing: request.billing, hours: request.hours, by: caller.user.id))
        }
        router.register(FinancialService.removeForecast) { request, context in
            let caller = try Caller.of(context)
            try store.removeForecast(projectID: request.projectId, month: request.month, by: caller.user.id)
            return ForecastList(forecasts: try store.forecasts(projectID: request.projectId).map(CustomerAPI.Forecast.init))
        }
        router.register(FinancialService.listForecasts) { request, context in
            _ = try Caller.of(context)
            return ForecastList(forecasts: try store.forecasts(projectID: request.id).map(CustomerAPI.Forecast.init))
        }
        router.register(FinancialService.getFinancialSummary) { request, context in
            _ = try Caller.of(context)
            return CustomerAPI.FinancialTab(
                try store.financialSummary(customerID: request.customerId, from: request.from, to: request.to))
        }
    }
}
